// The walkerd browser demo, on walkerd-client: the server serves the client module at /walkerd-client.js
// (clients/js/index.js). The client speaks protocol 2: each walker call is a promise settled by its own reply,
// the socket is authenticated with change_user (a browser cannot send an Authorization header), and after every
// reconnect (a real network failure, or "Drop connection") it rejoins its channels and recovers what was missed.
import { WalkerdClient, WalkerdError, PUBLIC_ROOT } from "/walkerd-client.js";

const state = {
  token: null,      // from /user/login
  email: null,
  client: null,     // the WalkerdClient of the chosen channel
  channel: null,    // its ?channel_id= (null: a fresh one)
  board: {
    project: null,  // the open project's id
    subs: new Map(), // node channel (the project's and each task's id) -> Subscription
  },
};

const $ = (id) => document.getElementById(id);

// ---- the client ------------------------------------------------------------------------------------------

/** The client of the channel in the form; a new one (closing the old) when the channel changed. */
function clientFor(channel) {
  if (state.client && state.client.state !== "closed" && state.channel === channel) return state.client;
  if (state.client) state.client.close();
  state.board.subs.clear(); // they belonged to the old client
  state.channel = channel;
  const client = new WalkerdClient(location.origin, {
    getToken: () => state.token, // asked again before every reconnect
    channel: channel || undefined,
  });
  client.on("frame", (frame) => logMessage(frame));
  client.on("message", deliver);
  client.on("connected", (info) => {
    connState("connected");
    setConnected(true);
    showConnection(info);
  });
  client.on("disconnected", ({ code, reason, willReconnect }) => {
    connState(willReconnect ? "dropped (" + reason + ")" : "closed (" + code + ")");
    setConnected(false);
  });
  client.on("reconnecting", ({ attempt, delayMs }) => {
    connState("reconnecting: attempt " + attempt + " in " + (delayMs / 1000).toFixed(1) + " s");
    $("reconnect-now").disabled = false;
  });
  client.on("error", (e) => logMessage({ error: e.message, code: e.code, status: e.status }, "client error"));
  state.client = client;
  return client;
}

/** The current client, or one for the channel in the form (for REST before connecting). */
function currentClient() { return state.client && state.client.state !== "closed" ? state.client : clientFor(formChannel()); }

function formChannel() { return $("channel").value.trim() || null; }

async function connect() {
  const client = clientFor(formChannel());
  connState("connecting");
  try {
    await client.connect();
  } catch (e) {
    connState("not connected: " + e.message);
    return;
  }
  if (state.board.project && state.board.subs.size === 0) openBoard(state.board.project);
}

function disconnect() {
  if (state.client) state.client.disconnect();
}

/** Cuts the socket as a network failure would; the client reconnects after the chosen delay and recovers. */
function drop() {
  if (!state.client) return;
  const seconds = Math.max(0, Number($("offline-seconds").value) || 0);
  state.client.reconnect({ delayMs: seconds * 1000 });
}

function reconnectNow() {
  if (state.client && state.client.state !== "connected") state.client.reconnect({ delayMs: 0 });
}

/** Runs a walker over the socket; resolves with its response body, or null (the error is shown) when it fails. */
async function runWalker(walker, context, options) {
  try {
    return await state.client.walker(walker, context, options);
  } catch (e) {
    logMessage({ walker, error: e.message, status: e.status, code: e.code }, "walker error");
    if (walker === "self_progress_notif") progressStatus("walker error: " + e.message);
    return null;
  }
}

/** A delivery: a chat or a progress notification, as a walker or another client sent it. */
function deliver(data, meta) {
  if (!data || typeof data !== "object") return;
  if (data.type === "chat") showChat(data.data, meta);
  else if (data.progress !== undefined) showProgress(data);
}

// ---- account (REST) --------------------------------------------------------------------------------------

function credentials() {
  const email = $("email").value.trim();
  const password = $("password").value;
  if (!email || !password) throw new Error("enter an email and a password");
  return { email, password };
}

async function register() {
  try {
    const { email, password } = credentials();
    await currentClient().rest.register(email, password);
    accountStatus("Registered " + email + ". Now log in.");
  } catch (e) {
    if (e instanceof WalkerdError && e.status === 409) accountStatus("That email is already registered: log in.", true);
    else accountStatus("Register failed" + (e.status ? " (" + e.status + ")" : "") + ": " + e.message, true);
  }
}

async function login(event) {
  if (event) event.preventDefault();
  try {
    const { email, password } = credentials();
    const client = currentClient();
    // the token becomes the client's; an open socket is re-authenticated with change_user at once
    const body = await client.rest.login(email, password);
    state.token = body.token;
    state.email = body.user.email;
    $("logout").disabled = false;
    accountStatus("Logged in as " + state.email + " (root n::" + body.user.root_id + ").");
    if (client.state === "connected") showConnection(client.info);
    else connect();
  } catch (e) {
    accountStatus("Login failed" + (e.status ? " (" + e.status + ")" : "") + ": " + e.message, true);
  }
}

async function logout() {
  state.token = null;
  state.email = null;
  $("logout").disabled = true;
  accountStatus("Logged out: you act as the public user.");
  closeBoard();
  if (state.client) {
    const info = await state.client.setToken(null).catch(() => null);
    if (info) showConnection(info);
  }
}

function accountStatus(text, bad) {
  const el = $("account-status");
  el.textContent = text;
  el.classList.toggle("bad", !!bad);
}

// ---- the live board --------------------------------------------------------------------------------------

async function rest(name, body, options) {
  try {
    return await currentClient().rest.walker(name, body, options);
  } catch (e) {
    boardStatus(name + " failed (" + e.status + "): " + e.message, true);
    return null;
  }
}

async function createProject() {
  const name = $("project-name").value.trim() || "project";
  const r = await rest("create_project", { name });
  if (!r) return;
  $("project-id").value = r.reports[0].id;
  openBoard($("project-id").value);
}

async function share() {
  const rootId = $("share-with").value.trim();
  if (!rootId) return $("share-with").focus();
  if (await rest("share_graph", { root_id: rootId, level: "WRITE" })) boardStatus("Shared your graph with " + rootId + " (WRITE).");
}

async function addTask() {
  const title = $("task-title").value.trim();
  if (!state.board.project || !title) return;
  await rest("add_task", { title }, { node: state.board.project });
  // nothing else to do: the project's node event reloads every open board, this one included
}

async function setDone(taskId, done) {
  await rest("update_task", { done }, { method: "patch", node: taskId });
}

/** Follows a node channel: its node events update the board; a gap (changes that cannot be recovered) reloads it. */
function follow(id) {
  let sub = state.board.subs.get(id);
  if (sub) return sub;
  sub = state.client.subscribe(id);
  sub.on("node", (event) => nodeEvent(event));
  sub.on("gap", () => {
    boardStatus("Changes missed while away could not be recovered: reloading the board.");
    openBoard(state.board.project);
  });
  sub.on("subscribed", (entry) => {
    if (entry.recovered) boardStatus("Live again: recovered what was missed while away.");
  });
  state.board.subs.set(id, sub);
  return sub;
}

/**
 * Joins the project's channel, loads the board over the socket (project_board), shows it, and joins the channel of
 * each task; leaves those of tasks that are gone. The client rejoins them, recovering, after every reconnect.
 */
async function openBoard(project) {
  if (!project) return $("project-id").focus();
  // no need to be connected now: recovered node events come while the client reconnects, and its calls wait for it
  if (!state.client || state.client.state === "closed") return boardStatus("Connect first.", true);
  if (project !== state.board.project) closeBoard();
  state.board.project = project;
  try {
    await follow(project).ready;
  } catch (e) {
    state.board.subs.delete(project);
    return boardStatus("No access to " + project + ": " + e.message, true);
  }
  let reply;
  try {
    reply = await state.client.walker("project_board", {}, { node: project });
  } catch (e) {
    return boardStatus("Cannot open " + project + ": " + e.message + (e.status ? " (" + e.status + ")" : ""), true);
  }
  if (state.board.project !== project) return; // another board was opened meanwhile
  const board = reply.reports[0];
  showBoard(board);
  const wanted = new Set([project, ...board.tasks.map((t) => t.id)]);
  for (const [id, sub] of state.board.subs) {
    if (!wanted.has(id)) {
      state.board.subs.delete(id);
      sub.unsubscribe().catch(() => {});
    }
  }
  try {
    await Promise.all([...wanted].map((id) => follow(id).ready));
  } catch (e) {
    return boardStatus("No access: " + e.message, true);
  }
  boardStatus("Live: following " + wanted.size + " channels.");
}

function closeBoard() {
  for (const sub of state.board.subs.values()) sub.unsubscribe().catch(() => {});
  state.board.subs.clear();
  state.board.project = null;
  $("board-title").textContent = "";
  $("board-tasks").textContent = "";
  boardStatus("No board open.");
}

function nodeEvent(event) {
  if (!state.board.project) return;
  if (event.id === state.board.project) {
    if (event.event === "destroyed") return closeBoard();
    openBoard(state.board.project); // tasks added or removed, or the project renamed: load it again
    return;
  }
  const row = document.querySelector('#board-tasks li[data-id="' + CSS.escape(event.id) + '"]');
  if (!row) return;
  if (event.event === "destroyed") row.remove();
  else showTask(row, { id: event.id, context: event.context });
  row.classList.add("flash");
  setTimeout(() => row.classList.remove("flash"), 600);
}

function showBoard(board) {
  $("board-title").textContent = board.project.context.name + " (" + board.project.id + ")";
  const list = $("board-tasks");
  list.textContent = "";
  for (const task of board.tasks) {
    const li = document.createElement("li");
    li.dataset.id = task.id;
    const box = document.createElement("input");
    box.type = "checkbox";
    box.addEventListener("change", () => setDone(task.id, box.checked));
    const title = document.createElement("span");
    title.className = "title";
    li.append(box, title);
    showTask(li, task);
    list.append(li);
  }
}

function showTask(li, task) {
  li.querySelector("input").checked = !!task.context.done;
  li.querySelector(".title").textContent = task.context.title;
  li.classList.toggle("done", !!task.context.done);
}

function boardStatus(text, bad) {
  const el = $("board-status");
  el.textContent = text;
  el.classList.toggle("bad", !!bad);
}

// ---- views -----------------------------------------------------------------------------------------------

function connState(text) { $("conn-state").textContent = text; }

function setConnected(on) {
  for (const id of ["disconnect", "drop", "send-user", "send-channel", "send-client", "run-progress", "create-project",
    "open-board", "share", "add-task"]) {
    $(id).disabled = !on;
  }
  $("reconnect-now").disabled = on || !state.client;
  if (!on) showConnection({ client_id: "", root_id: "", channel_id: "" });
}

function showConnection(data) {
  $("conn-client").textContent = data.client_id || "";
  $("conn-root").textContent = data.root_id || "";
  $("conn-channel").textContent = data.channel_id || "";
  document.body.dataset.rootId = data.root_id || "";
  document.body.dataset.public = String(data.root_id === PUBLIC_ROOT);
  if (data.channel_id && !$("to-channel").value) $("to-channel").value = data.channel_id;
}

function showChat(data, meta) {
  const li = document.createElement("li");
  li.className = "chat-message";
  li.textContent = data && data.message !== undefined ? String(data.message) : JSON.stringify(data);
  const time = document.createElement("time");
  time.textContent = new Date().toLocaleTimeString();
  li.prepend(time);
  if (meta && meta.recovered) {
    li.classList.add("recovered");
    const tag = document.createElement("span");
    tag.className = "tag";
    tag.textContent = "recovered";
    tag.title = "sent while this page was away; replayed after it reconnected";
    li.append(tag);
  }
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

/**
 * A label for a frame: its type (a delivery: the type of its data), or what a frame without one is (a progress
 * notification, a walker's response).
 */
function kindOf(msg) {
  if (msg === null || typeof msg !== "object") return "message";
  if (msg.type === "message") return kindOf(msg.data);
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
$("drop").addEventListener("click", drop);
$("reconnect-now").addEventListener("click", reconnectNow);
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

$("create-project").addEventListener("click", createProject);
$("open-board").addEventListener("click", () => openBoard($("project-id").value.trim()));
$("share").addEventListener("click", share);
$("add-task").addEventListener("click", addTask);

// Clicking an id in the connection info fills the matching chat target.
$("conn-client").addEventListener("click", () => { $("to-client").value = $("conn-client").textContent; });
$("conn-root").addEventListener("click", () => {
  $("to-user").value = $("conn-root").textContent;
  $("share-with").value = $("conn-root").textContent;
});
$("conn-channel").addEventListener("click", () => { $("to-channel").value = $("conn-channel").textContent; });
