// The walkerd browser demo: plain JavaScript over the server's REST routes and its /websocket.
// A browser's WebSocket cannot send an Authorization header, so the page authenticates the socket by sending a
// change_user event with the token right after it opens (protocol.md section 5).
"use strict";

const state = {
  token: null,       // from /user/login
  email: null,
  socket: null,
  connection: null,  // data of the last "connection" event: client_id, root_id, channel_id
};

const $ = (id) => document.getElementById(id);

// ---- REST ------------------------------------------------------------------------------------------------

async function post(path, body) {
  const headers = { "Content-Type": "application/json" };
  if (state.token) headers.Authorization = "Bearer " + state.token;
  const res = await fetch(path, { method: "POST", headers, body: JSON.stringify(body) });
  let json = null;
  try { json = await res.json(); } catch (e) { /* empty or not JSON */ }
  return { status: res.status, body: json };
}

function credentials() {
  const email = $("email").value.trim();
  const password = $("password").value;
  if (!email || !password) throw new Error("enter an email and a password");
  return { email, password };
}

async function register() {
  try {
    const r = await post("/user/register", credentials());
    if (r.status === 201) accountStatus("Registered " + credentials().email + ". Now log in.");
    else if (r.status === 409) accountStatus("That email is already registered: log in.", true);
    else accountStatus("Register failed (" + r.status + "): " + JSON.stringify(r.body), true);
  } catch (e) {
    accountStatus(e.message, true);
  }
}

async function login(event) {
  if (event) event.preventDefault();
  try {
    const r = await post("/user/login", credentials());
    if (r.status !== 200) {
      accountStatus("Login failed (" + r.status + "): " + (r.body && r.body.message || JSON.stringify(r.body)), true);
      return;
    }
    state.token = r.body.token;
    state.email = r.body.user.email;
    $("logout").disabled = false;
    accountStatus("Logged in as " + state.email + " (root n::" + r.body.user.root_id + ").");
    // An open socket switches to the new user at once; otherwise connect now.
    if (isOpen()) changeUser(); else connect();
  } catch (e) {
    accountStatus(e.message, true);
  }
}

function logout() {
  state.token = null;
  state.email = null;
  $("logout").disabled = true;
  accountStatus("Logged out: you act as the public user.");
  if (isOpen()) changeUser();
}

function accountStatus(text, bad) {
  const el = $("account-status");
  el.textContent = text;
  el.classList.toggle("bad", !!bad);
}

// ---- websocket -------------------------------------------------------------------------------------------

function isOpen() { return state.socket && state.socket.readyState === WebSocket.OPEN; }

function socketUrl() {
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  const channel = $("channel").value.trim();
  return scheme + location.host + "/websocket" + (channel ? "?channel_id=" + encodeURIComponent(channel) : "");
}

/** Opens the socket (closing an open one first: joining a channel means reconnecting with ?channel_id=). */
function connect() {
  if (state.socket) {
    const old = state.socket;
    state.socket = null;
    old.close();
  }
  const socket = new WebSocket(socketUrl());
  state.socket = socket;
  connState("connecting");
  socket.onopen = () => {
    if (state.socket !== socket) return;
    connState("open");
    setConnected(true);
    if (state.token) changeUser();
  };
  socket.onmessage = (event) => {
    if (state.socket !== socket) return;
    receive(event.data);
  };
  socket.onclose = (event) => {
    if (state.socket !== socket) return;
    state.socket = null;
    state.connection = null;
    connState("closed" + (event.code ? " (" + event.code + ")" : ""));
    setConnected(false);
  };
  socket.onerror = () => connState("error");
}

function disconnect() {
  if (state.socket) state.socket.close();
}

function send(frame) {
  if (!isOpen()) {
    logMessage({ error: "not connected" }, "local");
    return;
  }
  state.socket.send(JSON.stringify(frame));
}

function changeUser() {
  send(state.token ? { type: "change_user", token: "Bearer " + state.token } : { type: "change_user" });
}

function runWalker(walker, context) {
  send({ type: "walker", walker, context, response: true });
}

function receive(raw) {
  let msg;
  try {
    msg = JSON.parse(raw);
  } catch (e) {
    logMessage(raw, "unparsed");
    return;
  }
  logMessage(msg);
  if (msg.type === "connection") showConnection(msg.data);
  else if (msg.type === "chat") showChat(msg.data);
  else if (msg.progress !== undefined) showProgress(msg);
  else if (msg.type === "walker" && msg.error) progressStatus("walker error: " + msg.error);
}

// ---- views -----------------------------------------------------------------------------------------------

function connState(text) { $("conn-state").textContent = text; }

function setConnected(on) {
  $("disconnect").disabled = !on;
  for (const id of ["send-user", "send-channel", "send-client", "run-progress"]) $(id).disabled = !on;
  if (!on) showConnection({ client_id: "", root_id: "", channel_id: "" });
}

function showConnection(data) {
  state.connection = data;
  $("conn-client").textContent = data.client_id || "";
  $("conn-root").textContent = data.root_id || "";
  $("conn-channel").textContent = data.channel_id || "";
  document.body.dataset.rootId = data.root_id || "";
  if (data.channel_id && !$("to-channel").value) $("to-channel").value = data.channel_id;
}

function showChat(data) {
  const li = document.createElement("li");
  li.className = "chat-message";
  li.textContent = data && data.message !== undefined ? String(data.message) : JSON.stringify(data);
  const time = document.createElement("time");
  time.textContent = new Date().toLocaleTimeString();
  li.prepend(time);
  $("chat-log").prepend(li);
}

function showProgress(msg) {
  const percent = Math.max(0, Math.min(100, parseInt(String(msg.progress), 10) || 0));
  $("progress-fill").style.width = percent + "%";
  $("progress-label").textContent = percent + "%";
  $("progress-bar").setAttribute("aria-valuenow", String(percent));
  progressStatus(msg.status || "");
}

function progressStatus(text) { $("progress-status").textContent = text; }

/** A label for a frame: its type, or what a frame without one is (a progress notification, a walker's response). */
function kindOf(msg) {
  if (msg === null || typeof msg !== "object") return "message";
  if (msg.type) return msg.type;
  if (msg.progress !== undefined) return "progress";
  if (msg.status !== undefined) return "response";
  if (msg.error !== undefined) return "error";
  return "message";
}

function logMessage(msg, kind) {
  const li = document.createElement("li");
  const time = document.createElement("time");
  time.textContent = new Date().toLocaleTimeString();
  const type = document.createElement("span");
  type.className = "type";
  type.textContent = kind || kindOf(msg);
  const body = document.createElement("code");
  body.textContent = typeof msg === "string" ? msg : JSON.stringify(msg);
  li.append(time, type, body);
  $("messages").prepend(li);
}

// ---- wiring ----------------------------------------------------------------------------------------------

function message() { return $("message").value; }

function requireTarget(id) {
  const value = $(id).value.trim();
  if (!value) $(id).focus();
  return value;
}

$("account-form").addEventListener("submit", login);
$("register").addEventListener("click", register);
$("logout").addEventListener("click", logout);
$("connect").addEventListener("click", connect);
$("disconnect").addEventListener("click", disconnect);
$("clear-messages").addEventListener("click", () => { $("messages").textContent = ""; });

$("send-user").addEventListener("click", () => {
  const rootId = requireTarget("to-user");
  if (rootId) runWalker("send_chat_to_user", { root_id: rootId, message: message() });
});
$("send-channel").addEventListener("click", () => {
  const channelId = requireTarget("to-channel");
  if (channelId) runWalker("send_chat_to_group", { channel_id: channelId, message: message() });
});
$("send-client").addEventListener("click", () => {
  const clientId = requireTarget("to-client");
  if (clientId) runWalker("send_chat_to_client", { client_id: clientId, message: message() });
});
$("run-progress").addEventListener("click", () => {
  showProgress({ progress: "0%", status: "requested" });
  runWalker("self_progress_notif", {});
});

// Clicking an id in the connection info fills the matching chat target.
$("conn-client").addEventListener("click", () => { $("to-client").value = $("conn-client").textContent; });
$("conn-root").addEventListener("click", () => { $("to-user").value = $("conn-root").textContent; });
$("conn-channel").addEventListener("click", () => { $("to-channel").value = $("conn-channel").textContent; });
