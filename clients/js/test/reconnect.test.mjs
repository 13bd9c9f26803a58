// Reconnects under a network the test controls (a TCP proxy between client and server): fresh tokens, recovery of
// what was published meanwhile, gaps, the heartbeat and the backoff. Against a real walkerd started from its jar.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import { WalkerdClient, PUBLIC_ROOT } from "../index.js";
import { startServer, newUser } from "./support/server.mjs";
import { startProxy } from "./support/proxy.mjs";
import { waitFor, record, within } from "./support/wait.mjs";

const HISTORY = 50;
const PING_SECONDS = 1;
let server;
const clients = [];

before(async () => {
  // the publishers here send as fast as the server answers, which on an idle machine is over the default event rate
  // (SOCKET_EVENTS_PER_SECOND=50, bursts of 100); these tests are about recovery, so the rate limit is off
  server = await startServer({ SOCKET_HISTORY_SIZE: String(HISTORY), SOCKET_PING_SECONDS: String(PING_SECONDS),
    SOCKET_EVENTS_PER_SECOND: "0" });
});
after(async () => {
  for (const c of clients) c.close();
  await server?.stop();
});

function client(url, options = {}) {
  const c = new WalkerdClient(url, { WebSocket, reconnect: { minMs: 20, maxMs: 200 }, ...options });
  clients.push(c);
  return c;
}

async function proxied(t, port = server.port) {
  const proxy = await startProxy(port);
  t.after(() => proxy.close());
  return proxy;
}

const room = () => "room-" + randomUUID();

/** What a test needs of a delivery: its payload's label, and how it came. */
const seen = (data, meta) => ({ n: data.n ?? data.data?.message, offset: meta.offset, recovered: meta.recovered === true, sender: meta.sender?.client_id ?? null });

/** Cuts the network under `c` and resolves once `c` has noticed. */
async function cut(proxy, c) {
  const gone = waitFor(c, "disconnected");
  proxy.cut();
  return (await gone)[0];
}

for (const authMode of ["header", "change_user"]) {
  test(`every reconnect asks getToken for a fresh token (authMode ${authMode})`, async (t) => {
    const proxy = await proxied(t);
    const u = await newUser(server.baseUrl, "refresh");
    let token = u.token;
    const asked = [];
    const c = client(proxy.url, { authMode, getToken: async () => { asked.push(token); return token; } });
    const errors = record(c, "error");
    const first = await c.connect();
    assert.equal(first.root_id, u.rootId);
    assert.deepEqual(asked, [u.token]);

    // the old token is revoked (change_password) and a new one issued
    const password = u.password + "-2";
    await u.post("/user/change_password", { old_password: u.password, new_password: password }, u.token);
    token = (await u.post("/user/login", { email: u.email, password })).token;
    assert.notEqual(token, u.token);

    await cut(proxy, c);
    const reconnected = waitFor(c, "connected");
    proxy.restore();
    const [info] = await reconnected;
    assert.deepEqual(asked, [u.token, token], "asked again on reconnect");
    assert.equal(info.root_id, u.rootId, "authenticated with the fresh token");
    assert.notEqual(info.client_id, first.client_id, "a new connection");
    assert.equal((await c.walker("self_progress_notif")).status, 200, "an auth walker runs");
    assert.deepEqual(errors.items, []);

    // the revoked token alone would have made it the public user, and the client says so
    const stale = client(server.baseUrl, { authMode, token: u.token });
    const refused = waitFor(stale, "error", { filter: (e) => e.code === "unauthenticated" });
    assert.equal((await stale.connect()).root_id, PUBLIC_ROOT);
    assert.equal((await refused)[0].status, 401);
  });
}

test("after a network cut the client recovers exactly what was published meanwhile, in order, then live messages", async (t) => {
  const proxy = await proxied(t);
  const alice = await newUser(server.baseUrl, "alice");
  const bob = await newUser(server.baseUrl, "bob");
  const primary = room();
  const other = room();
  const a = client(proxy.url, { token: alice.token, channel: primary });
  const sub = a.subscribe(other);
  const inPrimary = record(a.subscription(primary), "message", seen);
  const inOther = record(sub, "message", seen);
  const gaps = record(a, "gap");
  const b = client(server.baseUrl, { token: bob.token });
  await Promise.all([a.connect(), b.connect()]);

  await b.send.channel([primary, other], { n: 1 });
  await Promise.all([inPrimary.until(1), inOther.until(1)]);

  const dropped = await cut(proxy, a);
  assert.equal(dropped.willReconnect, true);
  // published while alice is away: client events to both channels, and a walker's notification to one
  for (let n = 2; n <= 6; n++) await b.send.channel([primary, other], { n });
  await b.walker("send_chat_to_group", { channel_id: primary, message: "7" });

  const back = waitFor(a, "connected");
  proxy.restore();
  await back;
  await Promise.all([inPrimary.until(7), inOther.until(6)]);
  await b.send.channel([primary, other], { n: "live" });
  await Promise.all([inPrimary.until(8), inOther.until(7)]);

  assert.deepEqual(inPrimary.items.map((m) => m.n), [1, 2, 3, 4, 5, 6, "7", "live"]);
  assert.deepEqual(inOther.items.map((m) => m.n), [1, 2, 3, 4, 5, 6, "live"]);
  for (const items of [inPrimary.items, inOther.items]) {
    for (let i = 1; i < items.length; i++) assert.equal(items[i].offset, items[0].offset + i, "consecutive offsets");
    assert.deepEqual(items.map((m) => m.recovered), [false, ...items.slice(1, -1).map(() => true), false]);
  }
  assert.equal(inPrimary.items[6].sender, null, "a walker's notification has no sender");
  assert.equal(inPrimary.items[5].sender, b.clientId);
  assert.deepEqual(gaps.items, []);
});

test("messages published during the cut and the reconnect arrive once each, in order", async (t) => {
  const proxy = await proxied(t);
  const primary = room();
  const other = room();
  const a = client(proxy.url, { channel: primary });
  a.subscribe(other);
  const inPrimary = record(a.subscription(primary), "message", seen);
  const inOther = record(a.subscription(other), "message", seen);
  const gaps = record(a, "gap");
  const b = client(server.baseUrl);
  await Promise.all([a.connect(), b.connect()]);

  // a publisher that never stops while alice goes and comes back; it waits only if it gets far enough ahead of a
  // disconnected alice to outrun the channel's history
  let sent = 0;
  let missedSince = null;
  let reconnected = null;
  let stop = false;
  const watching = [
    a.on("disconnected", () => {
      missedSince = sent;
      reconnected = waitFor(a, "connected", { timeoutMs: 20_000 });
      reconnected.catch(() => {});
    }),
    a.on("connected", () => { missedSince = null; }),
  ];
  const publishing = (async () => {
    while (!stop) {
      if (missedSince !== null && sent - missedSince >= HISTORY - 10) await reconnected;
      await b.send.channel([primary, other], { n: ++sent });
    }
  })();
  await inPrimary.until(20);
  await cut(proxy, a);
  proxy.restore();
  await reconnected;
  const at = sent;
  await inPrimary.until(at + 20, 20_000);
  stop = true;
  await publishing;
  for (const off of watching) off();
  await b.send.channel([primary, other], { n: "end" });
  await Promise.all([inPrimary.until(sent + 1), inOther.until(sent + 1)]);

  const expected = [...Array.from({ length: sent }, (_, i) => i + 1), "end"];
  assert.deepEqual(inPrimary.items.map((m) => m.n), expected);
  assert.deepEqual(inOther.items.map((m) => m.n), expected);
  assert.ok(inPrimary.items.some((m) => m.recovered), "some were recovered");
  assert.deepEqual(gaps.items, []);
});

test("gap: when the history no longer covers what was missed, the subscription says so and goes on live", async (t) => {
  const proxy = await proxied(t);
  const r = room();
  const a = client(proxy.url);
  const sub = a.subscribe(r);
  const got = record(sub, "message", seen);
  const gaps = record(sub, "gap");
  const clientGaps = record(a, "gap");
  const b = client(server.baseUrl);
  await Promise.all([a.connect(), b.connect()]);
  await b.send.channel([r], { n: 0 });
  await got.until(1);
  const before = sub.offset;

  await cut(proxy, a);
  for (let n = 1; n <= HISTORY + 10; n++) await b.send.channel([r], { n });
  const back = waitFor(a, "connected");
  proxy.restore();
  await back;
  const [[gap]] = await gaps.until(1);
  assert.equal(gap.channel_id, r);
  assert.equal(gap.reason, "history_too_short");
  assert.deepEqual(gap.from, { offset: before, epoch: sub.epoch });
  assert.equal(gap.to.offset, before + HISTORY + 10);
  assert.equal(clientGaps.items.length, 1);

  await b.send.channel([r], { n: "live" });
  await got.until(2);
  assert.deepEqual(got.items.map((m) => m.n), [0, "live"], "nothing replayed after a gap");
  assert.equal(got.items[1].offset, before + HISTORY + 11);
});

test("gap: a server that lost its history (a new epoch) is not recovered from", async (t) => {
  const r = room();
  const proxy = await proxied(t);
  const a = client(proxy.url, { channel: r });
  const got = record(a.subscription(r), "message", seen);
  const gaps = record(a, "gap");
  const b = client(server.baseUrl);
  await Promise.all([a.connect(), b.connect()]);
  await b.send.channel([r], { n: 1 });
  await got.until(1);
  const epoch = a.subscription(r).epoch;

  // the proxy now leads to another server: its in-memory history has another epoch
  const other = await startServer({ SOCKET_HISTORY_SIZE: String(HISTORY) });
  t.after(() => other.stop());
  await cut(proxy, a);
  proxy.retarget(other.port);
  proxy.restore();
  const [[gap]] = await gaps.until(1);
  assert.equal(gap.reason, "epoch_changed");
  assert.equal(gap.from.epoch, epoch);
  assert.notEqual(gap.to.epoch, epoch);
  const c = client(other.baseUrl);
  await c.connect();
  await c.send.channel([r], { n: 2 });
  await got.until(2);
  assert.deepEqual(got.items.map((m) => m.n), [1, 2]);
  assert.equal(a.subscription(r).epoch, gap.to.epoch);
});

test("heartbeat: a connection that hears nothing for two ping intervals is replaced, and recovers", async (t) => {
  const proxy = await proxied(t);
  const r = room();
  const a = client(proxy.url, { channel: r, pingIntervalMs: PING_SECONDS * 1000 });
  const got = record(a.subscription(r), "message", seen);
  const b = client(server.baseUrl);
  await Promise.all([a.connect(), b.connect()]);

  // idle but alive: the server's pings keep it up for more than two intervals
  const drops = record(a, "disconnected");
  await b.walker("echo", { text: "x", delay_ms: PING_SECONDS * 2500 });
  assert.deepEqual(drops.items, []);

  // now the link goes silent without closing: nothing tells the client but the silence
  const started = Date.now();
  const dropped = waitFor(a, "disconnected", { timeoutMs: 10_000 });
  proxy.blackhole();
  for (let n = 1; n <= 3; n++) await b.send.channel([r], { n });
  const [info] = await dropped;
  const silentFor = Date.now() - started;
  assert.match(info.reason, /heartbeat/);
  assert.ok(silentFor >= PING_SECONDS * 1000 && silentFor < PING_SECONDS * 5000, "noticed after " + silentFor + " ms");
  await got.until(3);
  assert.deepEqual(got.items.map((m) => [m.n, m.recovered]), [[1, true], [2, true], [3, true]]);
});

test("reconnect attempts back off exponentially with full jitter between minMs and maxMs, and start over once connected", async (t) => {
  const proxy = await proxied(t);
  const minMs = 40;
  const maxMs = 320;
  const a = client(proxy.url, { reconnect: { minMs, maxMs } });
  await a.connect();
  const attempts = record(a, "reconnecting", (info) => info);
  proxy.cut(); // refuses new connections too
  await attempts.until(7, 20_000);
  attempts.items.slice(0, 7).forEach(({ attempt, delayMs }, i) => {
    assert.equal(attempt, i + 1);
    const ceiling = Math.min(maxMs, minMs * 2 ** i);
    assert.ok(delayMs >= minMs && delayMs <= ceiling, `attempt ${attempt}: ${delayMs} ms not in [${minMs}, ${ceiling}]`);
  });
  const back = waitFor(a, "connected");
  proxy.restore();
  await back;
  const n = attempts.items.length;
  proxy.cut();
  await attempts.until(n + 1);
  assert.equal(attempts.items[n].attempt, 1, "counting starts over after a connection");
  proxy.restore();
  await waitFor(a, "connected");
});

test("a live message read together with the connection event waits for the recovered ones before it", async (t) => {
  const proxy = await proxied(t);
  const r = room();
  // frames uncompressed, so that the test can see them in the proxy
  const Plain = class extends WebSocket {
    constructor(url, options = {}) { super(url, { ...options, perMessageDeflate: false }); }
  };
  const a = client(proxy.url, { channel: r, WebSocket: Plain });
  const got = record(a.subscription(r), "message", seen);
  const b = client(server.baseUrl);
  await Promise.all([a.connect(), b.connect()]);
  await b.send.channel([r], { n: 1 });
  await got.until(1);

  await cut(proxy, a);
  for (let n = 2; n <= 4; n++) await b.send.channel([r], { n });
  // the new connection is in its channel from the upgrade on: a message published now is sent right behind the
  // connection event; the proxy holds both and hands them over in one chunk
  proxy.hold();
  proxy.restore();
  await proxy.whenHeld((text) => text.includes('"type":"connection"'));
  await b.send.channel([r], { n: 5 });
  await proxy.whenHeld((text) => text.includes('{"n":5}'));
  const back = waitFor(a, "connected");
  proxy.release();
  await back;
  await got.until(5);
  assert.deepEqual(got.items.map((m) => [m.n, m.recovered]), [[1, false], [2, true], [3, true], [4, true], [5, false]]);
});

test("disconnect() goes offline without reconnecting; connect() comes back and recovers", async (t) => {
  const r = room();
  const a = client(server.baseUrl, { reconnect: { minMs: 5, maxMs: 10 } });
  const sub = a.subscribe(r);
  const got = record(sub, "message", seen);
  const attempts = record(a, "reconnecting");
  const b = client(server.baseUrl);
  await Promise.all([a.connect(), b.connect()]);
  await b.send.channel([r], { n: 1 });
  await got.until(1);

  const inFlight = a.walker("echo", { text: "x", delay_ms: 1000 });
  const gone = waitFor(a, "disconnected");
  a.disconnect();
  const [info] = await gone;
  assert.deepEqual([info.code, info.willReconnect], [1000, false]);
  assert.equal(a.state, "disconnected");
  assert.equal((await inFlight.catch((e) => e)).code, "disconnected");
  const waiting = a.walker("echo", { text: "waited" });
  for (let n = 2; n <= 4; n++) await b.send.channel([r], { n });
  // b's three round trips took longer than the 5-10 ms backoff: an automatic reconnect would have happened by now
  assert.deepEqual(attempts.items, []);
  assert.equal(a.state, "disconnected");

  await a.connect();
  assert.deepEqual(await waiting, { status: 200, reports: ["waited"] });
  await got.until(4);
  assert.deepEqual(got.items.map((m) => [m.n, m.recovered]), [[1, false], [2, true], [3, true], [4, true]]);
  assert.equal(sub.state, "live");
});

test("an attempt still waiting for getToken opens no socket once disconnect() or a newer attempt came", async () => {
  const opened = [];
  const Counting = class extends WebSocket {
    constructor(...args) { super(...args); opened.push(this); }
  };
  const asked = []; // one resolver per token request
  const waiters = [];
  const getToken = () => new Promise((resolve) => {
    asked.push(resolve);
    for (const w of waiters.splice(0)) w();
  });
  const askedFor = (n) => (asked.length >= n ? Promise.resolve() : new Promise((r) => waiters.push(r)).then(() => askedFor(n)));
  const a = client(server.baseUrl, { WebSocket: Counting, getToken });

  const first = a.connect();
  await within(askedFor(1), 5000, "the first token request");
  a.disconnect();
  assert.equal((await first.catch((e) => e)).code, "disconnected");
  asked[0](null);
  await new Promise(setImmediate); // the attempt's continuation has run
  assert.equal(opened.length, 0, "no socket after disconnect()");

  const second = a.connect();
  await within(askedFor(2), 5000, "the second token request");
  a.reconnect({ delayMs: 0 }); // a newer attempt while this one waits for its token
  asked[1](null);
  await new Promise(setImmediate);
  assert.equal(opened.length, 0, "the older attempt gave way");
  await within(askedFor(3), 5000, "the newer attempt's token request");
  asked[2](null);
  await second;
  assert.equal(opened.length, 1, "one socket");
});
