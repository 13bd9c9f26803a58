// The walkerd browser demo: plain JavaScript over the server's REST routes and its /websocket.
// A browser's WebSocket cannot send an Authorization header, so the page authenticates the socket by sending a
// change_user event with the token right after it opens (protocol.md section 5).
// The page speaks protocol 2 (?v=2, protocol.md section 8): deliveries come wrapped in {"type":"message", ...},
// events it waits on carry a request_id, and the live board joins node channels and recovers them after a reconnect.
"use strict";

const PUBLIC_ROOT = "n::000000000000000000000001";

const state = {
  token: null,       // from /user/login
  email: null,
  socket: null,
  connection: null,  // data of the last "connection" event: client_id, root_id, channel_id
  requests: 0,
  pending: new Map(), // request_id -> resolve, for the replies the page waits on
  board: {
    project: null,    // the open project's id
    joined: false,    // whether this socket has joined the board's channels
    positions: {},    // channel -> {offset, epoch} of the last node event seen there, to recover from
  },
};

const $ = (id) => document.getElementById(id);

// ---- REST ------------------------------------------------------------------------------------------------

async function call(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  if (state.token) headers.Authorization = "Bearer " + state.token;
  const res = await fetch(path, { method, headers, body: JSON.stringify(body || {}) });
  let json = null;
  try { json = await res.json(); } catch (e) { /* empty or not JSON */ }
  return { status: res.status, body: json };
}

function post(path, body) { return call("POST", path, body); }

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
  closeBoard();
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
  return scheme + location.host + "/websocket?v=2" + (channel ? "&channel_id=" + encodeURIComponent(channel) : "");
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
  state.board.joined = false;
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
    state.board.joined = false;
    for (const resolve of state.pending.values()) resolve({ error: "the socket closed" });
    state.pending.clear();
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
    return false;
  }
  state.socket.send(JSON.stringify(frame));
  return true;
}

/** Sends an event with a fresh request_id; resolves with the reply that carries it back. */
function request(frame) {
  const id = "r" + (++state.requests);
  return new Promise((resolve) => {
    state.pending.set(id, resolve);
    if (!send(Object.assign({}, frame, { request_id: id }))) {
      state.pending.delete(id);
      resolve({ error: "not connected" });
    }
  });
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
  if (msg.request_id && state.pending.has(msg.request_id)) {
    const resolve = state.pending.get(msg.request_id);
    state.pending.delete(msg.request_id);
    resolve(msg);
    return;
  }
  if (msg.type === "message") deliver(msg.data);       // a delivery: user, channel, client or self
  else if (msg.type === "connection") showConnection(msg.data);
  else if (msg.type === "node") nodeEvent(msg);
  else if (msg.type === "walker" && msg.error) progressStatus("walker error: " + msg.error);
}

/** The data of a delivery, as a walker or another client sent it. */
function deliver(data) {
  if (!data || typeof data !== "object") return;
  if (data.type === "chat") showChat(data.data);
  else if (data.progress !== undefined) showProgress(data);
}

// ---- the live board --------------------------------------------------------------------------------------

async function createProject() {
  const name = $("project-name").value.trim() || "project";
  const r = await post("/walker/create_project", { name });
  if (r.status !== 201) return boardStatus("create_project failed (" + r.status + "): " + JSON.stringify(r.body), true);
  $("project-id").value = r.body.reports[0].id;
  openBoard($("project-id").value);
}

async function share() {
  const rootId = $("share-with").value.trim();
  if (!rootId) return $("share-with").focus();
  const r = await post("/walker/share_graph", { root_id: rootId, level: "WRITE" });
  if (r.status !== 200) return boardStatus("share_graph failed (" + r.status + "): " + JSON.stringify(r.body), true);
  boardStatus("Shared your graph with " + rootId + " (WRITE).");
}

async function addTask() {
  const title = $("task-title").value.trim();
  if (!state.board.project || !title) return;
  const r = await post("/walker/add_task/" + state.board.project, { title });
  if (r.status !== 200) boardStatus("add_task failed (" + r.status + "): " + JSON.stringify(r.body), true);
  // nothing else to do: the project's node event reloads every open board, this one included
}

async function setDone(taskId, done) {
  const r = await call("PATCH", "/walker/update_task/" + taskId, { done });
  if (r.status !== 200) boardStatus("update_task failed (" + r.status + "): " + JSON.stringify(r.body), true);
}

/** Loads the board over the socket (project_board), shows it, and joins the channels of the project and its tasks. */
async function openBoard(project) {
  if (!project) return $("project-id").focus();
  if (project !== state.board.project) state.board.positions = {};
  state.board.project = project;
  const reply = await request({ type: "walker", walker: "project_board", node: project, response: true });
  if (reply.error) return boardStatus("Cannot open " + project + ": " + reply.error, true);
  const board = reply.reports[0];
  showBoard(board);
  const channels = [project].concat(board.tasks.map((t) => t.id));
  const joined = await request({ type: "join", channel_ids: channels });
  if (joined.error) return boardStatus("join failed: " + JSON.stringify(joined.error), true);
  if (joined.data.denied.length) return boardStatus("No access to " + joined.data.denied.map((d) => d.channel_id).join(", "), true);
  remember(joined.data.joined);
  state.board.joined = true;
  boardStatus("Live: following " + channels.length + " channels.");
}

/** After a reconnect: joins the board's channels again, recovering what was missed; reloads if it cannot. */
async function rejoinBoard() {
  const channels = Object.keys(state.board.positions);
  if (!channels.length) return openBoard(state.board.project);
  const joined = await request({ type: "join", channel_ids: channels, recover: state.board.positions });
  if (joined.error || joined.data.denied.length || joined.data.joined.some((j) => !j.recovered)) {
    return openBoard(state.board.project);
  }
  remember(joined.data.joined);
  state.board.joined = true;
  boardStatus("Live again: recovered what was missed on " + channels.length + " channels.");
}

/** Where each joined channel stands, to recover from after a reconnect (node events then move it on). */
function remember(joined) {
  for (const j of joined) {
    const known = state.board.positions[j.channel_id];
    if (!known || known.epoch !== j.epoch || known.offset < j.offset) state.board.positions[j.channel_id] = { offset: j.offset, epoch: j.epoch };
  }
}

function closeBoard() {
  state.board.project = null;
  state.board.joined = false;
  state.board.positions = {};
  $("board-title").textContent = "";
  $("board-tasks").textContent = "";
  boardStatus("No board open.");
}

function nodeEvent(msg) {
  const event = msg.data;
  if (msg.channel_id && msg.offset !== undefined) state.board.positions[msg.channel_id] = { offset: msg.offset, epoch: msg.epoch };
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
  $("disconnect").disabled = !on;
  for (const id of ["send-user", "send-channel", "send-client", "run-progress", "create-project", "open-board", "share", "add-task"]) {
    $(id).disabled = !on;
  }
  if (!on) showConnection({ client_id: "", root_id: "", channel_id: "" });
}

function showConnection(data) {
  state.connection = data;
  $("conn-client").textContent = data.client_id || "";
  $("conn-root").textContent = data.root_id || "";
  $("conn-channel").textContent = data.channel_id || "";
  document.body.dataset.rootId = data.root_id || "";
  if (data.channel_id && !$("to-channel").value) $("to-channel").value = data.channel_id;
  // a new socket of the logged-in user: follow the open board again (channels are joined per user)
  if (state.board.project && !state.board.joined && state.token && data.root_id && data.root_id !== PUBLIC_ROOT) rejoinBoard();
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
