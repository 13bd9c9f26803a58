// Walker calls over the websocket and the REST helpers, against a real walkerd started from its jar.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { WalkerdClient, WalkerdError, PUBLIC_ROOT } from "../index.js";
import { startServer, newUser } from "./support/server.mjs";
import { startProxy } from "./support/proxy.mjs";
import { waitFor, track, within } from "./support/wait.mjs";

let server;
const clients = [];

// 200 calls at once are over the server's default event rate (SOCKET_EVENTS_PER_SECOND=50, bursts of 100): these
// tests are about correlation and flow control, so the rate limit is off here (a rate_limited reply rejects a call
// like any frame error, see the error-mapping test)
before(async () => { server = await startServer({ SOCKET_EVENTS_PER_SECOND: "0" }); });
after(async () => {
  for (const c of clients) c.close();
  await server?.stop();
});

function client(options = {}, url = server.baseUrl) {
  const c = new WalkerdClient(url, { WebSocket, ...options });
  clients.push(c);
  return c;
}

/** A `ws` WebSocket that keeps every frame it sends, to see what went on the wire. */
function recordingWebSocket(sent) {
  return class extends WebSocket {
    send(data, ...rest) {
      sent.push(JSON.parse(data));
      return super.send(data, ...rest);
    }
  };
}

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail("expected a rejection");
}

test("200 concurrent walker calls each get their own reply", async () => {
  const sent = [];
  const c = client({ WebSocket: recordingWebSocket(sent) });
  const info = await c.connect();
  const drops = [];
  c.on("disconnected", (d) => drops.push(d));
  const calls = [];
  for (let i = 0; i < 200; i++) {
    // every seventh fails with its own status, so replies differ in kind as well as in content
    const fail = i % 7 === 0;
    calls.push(c.walker("echo", { text: "call-" + i, ...(fail ? { fail_status: 400 + (i % 100) } : {}) })
      .then((body) => ({ i, body }), (error) => ({ i, error })));
  }
  const results = await Promise.all(calls);
  for (const { i, body, error } of results) {
    if (i % 7 === 0) {
      assert.ok(error instanceof WalkerdError, "call " + i + " should fail");
      assert.equal(error.status, 400 + (i % 100));
      assert.equal(error.message, "call-" + i);
    } else {
      assert.equal(error, undefined, "call " + i + " failed: " + error?.message);
      assert.deepEqual(body, { status: 200, reports: ["call-" + i] });
    }
  }
  const walkerFrames = sent.filter((f) => f.type === "walker");
  assert.equal(walkerFrames.length, 200);
  const ids = new Set(walkerFrames.map((f) => f.request_id));
  assert.equal(ids.size, 200, "every call has its own request id");
  for (const id of ids) assert.ok(typeof id === "string" && id.length >= 1 && id.length <= 64);
  // more calls than the server lets wait on one connection (SOCKET_MAX_PENDING_EVENTS=100): the client held the rest
  assert.deepEqual(drops, []);
  assert.equal(c.clientId, info.client_id, "the same connection throughout");
});

test("walker and frame errors become WalkerdError {status, message, body}", async () => {
  const alice = await newUser(server.baseUrl, "alice");
  const bob = await newUser(server.baseUrl, "bob");
  const a = client({ token: alice.token });
  await a.connect();
  const pub = client();
  assert.equal((await pub.connect()).root_id, PUBLIC_ROOT);

  let e = await rejection(a.walker("no_such_walker"));
  assert.ok(e instanceof WalkerdError);
  assert.equal(e.status, 404);
  assert.equal(e.code, "walker");
  assert.equal(e.message, "Walker no_such_walker not found!");
  assert.equal(e.body.type, "walker");
  assert.equal(e.body.error, "Walker no_such_walker not found!");

  e = await rejection(a.walker("echo", {}));
  assert.equal(e.status, 422);
  assert.ok(Array.isArray(e.body.detail) && e.body.detail.some((d) => d.loc.includes("text")), JSON.stringify(e.body));

  e = await rejection(pub.walker("self_progress_notif"));
  assert.equal(e.status, 401);

  e = await rejection(a.walker("echo", { text: "x", fail_status: 409 }));
  assert.equal(e.status, 409);
  assert.equal(e.message, "x");

  const project = await bob.post("/walker/create_project", { name: "bob's" }, bob.token);
  const projectId = project.reports[0].id;
  e = await rejection(a.walker("echo", { text: "x" }, { node: projectId }));
  assert.equal(e.status, 403);
  assert.equal(e.message, "You don't have access on target entry " + projectId + "!");

  e = await rejection(a.walker("echo", { text: "x" }, { node: "n:Project:0123456789abcdef01234567" }));
  assert.equal(e.status, 404);

  // a frame the server refuses: status 400, code = the problem's type, body = the reply
  e = await rejection(a.walker("echo", "not an object"));
  assert.equal(e.status, 400);
  assert.equal(e.code, "dict_type");
  assert.ok(Array.isArray(e.body.error));
  assert.match(e.message, /context/);

  e = await rejection(a.send.channel([projectId], { hi: 1 }));
  assert.equal(e.code, "node_channel");
  assert.equal(e.status, 400);

  // the connection is still usable
  assert.deepEqual(await a.walker("echo", { text: "still here" }), { status: 200, reports: ["still here"] });
});

test("REST helpers use the client's token; errors are WalkerdError with the HTTP status", async () => {
  const c = client();
  const email = "rest-" + Date.now() + "@example.com";
  assert.deepEqual(await c.rest.register(email, "first-pass-1", { name: "Ada" }), { message: "Successfully Registered!" });
  let e = await rejection(c.rest.register(email, "first-pass-1"));
  assert.equal(e.status, 409);
  assert.equal(e.code, "http");

  e = await rejection(c.rest.login(email, "wrong"));
  assert.equal(e.status, 400);
  assert.equal(e.message, "Invalid Email/Password!");
  assert.deepEqual(e.body, { message: "Invalid Email/Password!" });

  // a connected public client logs in: the token becomes its own, the socket is re-authenticated
  assert.equal((await c.connect()).root_id, PUBLIC_ROOT);
  const login = await c.rest.login(email, "first-pass-1");
  assert.equal(login.user.email, email);
  assert.equal(login.user.name, "Ada");
  assert.equal(c.token, login.token);
  assert.equal(c.rootId, "n::" + login.user.root_id);
  assert.equal((await c.walker("self_progress_notif")).status, 200, "an auth walker works over the socket now");

  const created = await c.rest.walker("create_project", { name: "over REST", tags: ["a"] });
  assert.equal(created.status, 201);
  const projectId = created.reports[0].id;
  const listed = await c.rest.walker("list_projects", {}, { method: "get" });
  assert.deepEqual(listed.reports.map((p) => p.id), [projectId]);
  const added = await c.rest.walker("add_task", { title: "milk" }, { node: projectId });
  assert.equal(added.status, 200);
  const found = await c.rest.walker("search_tasks", { q: "milk", limit: 5 }, { method: "get" });
  assert.equal(found.reports[0].context.title, "milk");
  const at = await c.rest.walker("task_at", {}, { method: "get", node: projectId, path: "/position/0" });
  assert.equal(at.reports[0].context.title, "milk");
  const greeted = await c.rest.walker("greet", {}, { method: "get", path: "/Ada" });
  assert.deepEqual(greeted.reports, ["Hello, Ada!"]);
  assert.equal(await c.rest.request("get", "/healthz").then(() => "ok"), "ok");

  e = await rejection(c.rest.walker("no_such_walker"));
  assert.equal(e.status, 404);
  e = await rejection(c.rest.walker("add_task", {}, { node: projectId }));
  assert.equal(e.status, 422);
  assert.ok(Array.isArray(e.body.detail));

  // change_password revokes the token the client holds: REST says 401 until it logs in again
  assert.deepEqual(await c.rest.changePassword("first-pass-1", "second-pass-2"), { message: "Successfully Updated!" });
  e = await rejection(c.rest.walker("list_projects", {}, { method: "get" }));
  assert.equal(e.status, 401);
  await c.rest.login(email, "second-pass-2");
  assert.equal((await c.rest.walker("list_projects", {}, { method: "get" })).reports.length, 1);
});

test("a call made while disconnected waits for the connection; one in flight when it drops rejects and is not retried", async (t) => {
  const proxy = await startProxy(server.port);
  t.after(() => proxy.close());
  const sent = [];
  const c = client({ WebSocket: recordingWebSocket(sent), reconnect: { minMs: 20, maxMs: 100 } }, proxy.url);
  await c.connect();

  // in flight: a slow walker is running when the network goes
  const slow = track(c.walker("echo", { text: "slow", delay_ms: 1500 }));
  assert.equal(sent.filter((f) => f.walker === "echo" && f.context.text === "slow").length, 1, "sent at once");
  const disconnected = waitFor(c, "disconnected");
  proxy.cut();
  await disconnected;
  const error = await rejection(slow.promise);
  assert.ok(error instanceof WalkerdError);
  assert.equal(error.code, "disconnected");
  assert.match(error.message, /not retried/);

  // while disconnected: the call waits
  const waiting = track(c.walker("echo", { text: "waited" }));
  await Promise.resolve();
  assert.equal(waiting.done, false);
  assert.equal(c.state, "reconnecting");
  proxy.restore();
  assert.deepEqual(await within(waiting.promise, 10_000, "the waiting call"), { status: 200, reports: ["waited"] });
  assert.equal(c.state, "connected");
  // the slow call went out once, on the first connection only
  assert.equal(sent.filter((f) => f.walker === "echo" && f.context.text === "slow").length, 1, "never retried");
});

test("timeouts: not connected in time, and no reply in time", async (t) => {
  const proxy = await startProxy(server.port);
  t.after(() => proxy.close());
  const c = client({ reconnect: { minMs: 20, maxMs: 50 } }, proxy.url);
  await c.connect();

  let e = await rejection(c.walker("echo", { text: "late", delay_ms: 2000 }, { timeoutMs: 200 }));
  assert.equal(e.code, "timeout");
  assert.match(e.message, /no reply to walker echo within 200 ms/);

  const disconnected = waitFor(c, "disconnected");
  proxy.cut();
  await disconnected;
  e = await rejection(c.walker("echo", { text: "never sent" }, { timeoutMs: 200 }));
  assert.equal(e.code, "timeout");
  assert.match(e.message, /not connected within 200 ms/);

  proxy.restore();
  await waitFor(c, "connected");
  // the late reply of the timed-out call was dropped; later calls are answered as usual
  assert.deepEqual(await c.walker("echo", { text: "after" }), { status: 200, reports: ["after"] });
});

test("close() rejects pending and waiting calls and stops for good", async () => {
  const c = client();
  await c.connect();
  const pending = c.walker("echo", { text: "x", delay_ms: 1000 });
  c.close();
  const e = await rejection(pending);
  assert.equal(e.code, "closed");
  assert.equal(c.state, "closed");
  assert.equal((await rejection(c.walker("echo", { text: "y" }))).code, "closed");
  assert.equal((await rejection(c.connect())).code, "closed");
});
