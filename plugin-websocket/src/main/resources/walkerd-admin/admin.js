// The walkerd admin page. Its data comes from /admin/api/, which wants "Authorization: Bearer <token>": the page
// reads the live summary with fetch() and a stream reader (EventSource cannot send that header, and the token must
// never travel in a URL). The token is kept in sessionStorage: it stays in this tab and dies with it. Everything
// the server sends is put in the page as text, never as HTML (channel ids are any string a client chose).

const TOKEN_KEY = "walkerd-admin-token";
const RETRY_MS = 2000;

const $ = (id) => document.getElementById(id);

let token = sessionStorage.getItem(TOKEN_KEY);
let stream = null; // the AbortController of the running feed

// ---- signing in ---------------------------------------------------------------------------------------------

function signIn(newToken) {
  token = newToken;
  sessionStorage.setItem(TOKEN_KEY, newToken);
  startFeed();
  searchChannels();
}

function signOut(why) {
  token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  if (stream) stream.abort();
  stream = null;
  feedState("signed out", "off");
  $("signin-status").textContent = why || "Not signed in.";
}

$("token-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const value = $("token").value.trim().replace(/^Bearer\s+/i, "");
  if (value) signIn(value);
  $("token").value = "";
});

$("login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const r = await fetch("/user/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: $("email").value, password: $("password").value }),
  });
  const body = await r.json().catch(() => ({}));
  if (!r.ok || !body.token) {
    $("signin-status").textContent = "Login failed: " + (body.message || r.status);
    return;
  }
  $("password").value = "";
  signIn(body.token);
});

$("signout").addEventListener("click", () => signOut());

/** GET an admin API path as JSON; signs out on 401/403, saying why. */
async function api(path) {
  const r = await fetch(path, { headers: { Authorization: "Bearer " + token } });
  if (r.status === 401 || r.status === 403) {
    const body = await r.json().catch(() => ({}));
    signOut((r.status === 403 ? "Refused: " : "Not signed in: ") + (body.error || r.status));
    return null;
  }
  if (!r.ok) throw new Error(path + " answered " + r.status);
  return r.json();
}

// ---- the live feed (server-sent events read from fetch) -----------------------------------------------------

async function startFeed() {
  if (stream) stream.abort();
  const controller = new AbortController();
  stream = controller;
  while (stream === controller && token) {
    try {
      const r = await fetch("/admin/api/stream", {
        headers: { Authorization: "Bearer " + token, Accept: "text/event-stream" },
        signal: controller.signal,
      });
      if (r.status === 401 || r.status === 403) {
        const body = await r.json().catch(() => ({}));
        signOut((r.status === 403 ? "Refused: " : "Not signed in: ") + (body.error || r.status));
        return;
      }
      if (!r.ok) throw new Error("the feed answered " + r.status);
      $("signin-status").textContent = "Signed in.";
      feedState("live", "on");
      await readEvents(r.body, (type, data) => { if (type === "summary") show(JSON.parse(data)); });
    } catch (e) {
      if (controller.signal.aborted) return;
      console.warn("admin feed: " + e.message);
    }
    if (stream !== controller) return;
    feedState("reconnecting", "off");
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

/** Reads a text/event-stream body, calling onEvent(type, data) for each event, until the stream ends. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) type = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) onEvent(type, data.join("\n"));
    }
  }
}

function feedState(text, kind) {
  const el = $("feed-state");
  el.textContent = text;
  el.className = "state " + kind;
}

// ---- showing a summary --------------------------------------------------------------------------------------

function show(s) {
  $("instance").textContent = s.instance;
  $("updated").textContent = "updated " + new Date(s.time).toLocaleTimeString();
  $("conn-authenticated").textContent = s.connections.authenticated;
  $("conn-public").textContent = s.connections.public;
  $("conn-open").textContent = s.connections.open_sockets;
  $("channels-count").textContent = s.channels;
  $("memberships").textContent = s.memberships;

  const b = s.broker;
  $("broker-state").textContent = b.kind === "redis" ? "Redis " + b.where + ": " + (b.up ? "up" : "DOWN") : "none (one instance)";
  $("broker-state").className = b.kind === "redis" ? (b.up ? "good" : "bad") : "";
  $("broker-subscriptions").textContent = b.kind === "redis" ? b.subscriptions : "–";
  const h = s.history;
  $("history-state").textContent = !h.on ? "off" : "on, kept in " + h.kept;
  $("history-memory").textContent = !h.on ? "–" : h.memory_channels + " channels, " + h.memory_messages + " messages";

  $("metrics-note").textContent = s.metrics ? "" : "(METRICS_ENABLED=false: nothing is counted)";
  plot("plot-messages", "rate-messages", s.rates.messages_out);
  plot("plot-events", "rate-events", s.rates.events_in);
  plot("plot-walkers", "rate-walkers", s.rates.walker_calls);
  showWalkers(s.slowest_walkers);
}

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 300, HEIGHT = 60, SAMPLES = 300;

/** Draws per-second rates (oldest first) as a line scaled to its maximum; null: not measured. */
function plot(svgId, labelId, rates) {
  const svg = $(svgId);
  svg.replaceChildren();
  if (!rates) {
    $(labelId).textContent = "not measured";
    return;
  }
  const last = rates.length ? rates[rates.length - 1] : 0;
  $(labelId).textContent = format(last);
  if (rates.length < 2) return;
  const top = Math.max(1, ...rates);
  const step = WIDTH / (SAMPLES - 1);
  const x0 = WIDTH - (rates.length - 1) * step;
  const points = rates.map((r, i) => (x0 + i * step).toFixed(1) + "," + (HEIGHT - 2 - (r / top) * (HEIGHT - 4)).toFixed(1));
  const line = document.createElementNS(SVG, "polyline");
  line.setAttribute("points", points.join(" "));
  line.setAttribute("class", "line");
  svg.append(line);
  const scale = document.createElementNS(SVG, "text");
  scale.setAttribute("x", "2");
  scale.setAttribute("y", "10");
  scale.setAttribute("class", "scale");
  scale.textContent = "max " + format(top);
  svg.append(scale);
}

function format(n) { return n >= 100 ? Math.round(n).toString() : n.toFixed(n >= 10 ? 1 : 2); }

function showWalkers(walkers) {
  const body = $("walkers");
  body.replaceChildren();
  $("walkers-note").textContent = walkers === null ? "The runtime does not time walkers yet (no walkerd.walker.duration)." : "";
  for (const w of walkers || []) body.append(row([w.walker, w.calls, w.mean_ms, w.max_ms]));
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    const td = document.createElement("td");
    if (c instanceof Node) td.append(c);
    else td.textContent = String(c);
    tr.append(td);
  }
  return tr;
}

// ---- channels and presence ----------------------------------------------------------------------------------

$("channel-form").addEventListener("submit", (e) => {
  e.preventDefault();
  searchChannels();
});

async function searchChannels() {
  if (!token) return;
  const q = $("channel-query").value;
  const found = await api("/admin/api/channels?limit=50&q=" + encodeURIComponent(q));
  if (!found) return;
  $("channel-total").textContent = found.total + " channel" + (found.total === 1 ? "" : "s") + " on this instance"
    + (found.total > found.channels.length ? ", the " + found.channels.length + " largest shown" : "");
  const body = $("channel-list");
  body.replaceChildren();
  for (const ch of found.channels) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "presence";
    button.addEventListener("click", () => showPresence(ch.channel_id));
    const id = document.createElement("code");
    id.textContent = ch.channel_id;
    body.append(row([id, ch.members, button]));
  }
}

async function showPresence(channel) {
  const p = await api("/admin/api/presence?channel_id=" + encodeURIComponent(channel));
  if (!p) return;
  $("presence-channel").textContent = p.channel_id;
  $("presence-count").textContent = p.count + " connection" + (p.count === 1 ? "" : "s") + " on every instance"
    + (p.count > p.clients.length ? ", the first " + p.clients.length + " listed" : "");
  const list = $("presence-list");
  list.replaceChildren();
  for (const c of p.clients) {
    const li = document.createElement("li");
    const client = document.createElement("code");
    client.textContent = c.client_id;
    const root = document.createElement("code");
    root.textContent = c.root_id;
    li.append(client, " user ", root);
    list.append(li);
  }
}

if (token) signIn(token);
