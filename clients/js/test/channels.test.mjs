// Subscriptions, presence, history, node channels and send.*, against a real walkerd started from its jar.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import { WalkerdClient, WalkerdError } from "../index.js";
import { startServer, newUser } from "./support/server.mjs";
import { waitFor, record } from "./support/wait.mjs";

let server;
const clients = [];

before(async () => { server = await startServer({ SOCKET_JOIN_LEAVE: "true", SOCKET_HISTORY_SIZE: "100" }); });
after(async () => {
  for (const c of clients) c.close();
  await server?.stop();
});

function client(options = {}) {
  const c = new WalkerdClient(server.baseUrl, { WebSocket, ...options });
  clients.push(c);
  return c;
}

const room = () => "room-" + randomUUID();

test("presence lists every connection in the channel; join and leave events reach the members", async () => {
  const r = room();
  const alice = await newUser(server.baseUrl, "alice");
  const a = client({ token: alice.token });
  const b = client();
  await Promise.all([a.connect(), b.connect()]);
  const subA = a.subscribe(r);
  await subA.ready;
  assert.deepEqual(await subA.presence(), [{ client_id: a.clientId, root_id: alice.rootId }]);

  const joined = waitFor(subA, "presence_join");
  const subB = b.subscribe(r);
  await subB.ready;
  const [change] = await joined;
  assert.deepEqual(change, { channel_id: r, client_id: b.clientId, root_id: b.rootId });
  const here = await subB.presence();
  assert.deepEqual(here.map((p) => p.client_id).sort(), [a.clientId, b.clientId].sort());

  const left = waitFor(subA, "presence_leave");
  await subB.unsubscribe();
  assert.equal(subB.state, "closed");
  assert.deepEqual((await left)[0], { channel_id: r, client_id: b.clientId, root_id: b.rootId });
  assert.deepEqual(await subA.presence(), [{ client_id: a.clientId, root_id: alice.rootId }]);

  // presence is for members only: the server refuses it for a channel the client left
  const e = await subB.presence().catch((err) => err);
  assert.ok(e instanceof WalkerdError);
  assert.equal(e.code, "not_member");
  assert.equal(e.status, 400);
});

test("history gives the channel's messages, the latest ones or those after a position", async () => {
  const r = room();
  const a = client();
  const b = client();
  await Promise.all([a.connect(), b.connect()]);
  const sub = a.subscribe(r);
  const entry = await sub.ready;
  const start = { offset: entry.offset, epoch: entry.epoch };
  const got = record(sub, "message");
  for (let n = 1; n <= 5; n++) await b.send.channel([r], { n });
  await got.until(5);

  const all = await sub.history();
  assert.equal(all.channel_id, r);
  assert.equal(all.epoch, start.epoch);
  assert.equal(all.offset, start.offset + 5);
  assert.deepEqual(all.messages.map((m) => m.data), [1, 2, 3, 4, 5].map((n) => ({ n })));
  assert.deepEqual(all.messages.map((m) => m.offset), [1, 2, 3, 4, 5].map((i) => start.offset + i));
  assert.equal(all.messages[0].sender.client_id, b.clientId);

  const latest = await sub.history({ limit: 2 });
  assert.deepEqual(latest.messages.map((m) => m.data.n), [4, 5]);

  const after2 = await sub.history({ since: { offset: start.offset + 2, epoch: start.epoch }, limit: 2 });
  assert.equal(after2.recovered, true);
  assert.deepEqual(after2.messages.map((m) => m.data.n), [3, 4]);

  const otherEpoch = await sub.history({ since: { offset: 0, epoch: "e-000000000000" } });
  assert.equal(otherEpoch.recovered, false);
  assert.deepEqual(otherEpoch.messages, []);

  assert.deepEqual([sub.offset, sub.epoch], [start.offset + 5, start.epoch], "the subscription tracks its position");
});

test("send.user, send.channel and send.client reach their targets, with how and from whom in meta", async () => {
  const alice = await newUser(server.baseUrl, "alice");
  const bob = await newUser(server.baseUrl, "bob");
  const r = room();
  const a = client({ token: alice.token });
  const b = client({ token: bob.token, channel: r });
  const bobSecond = client({ token: bob.token }); // another connection of the same user
  await Promise.all([a.connect(), b.connect(), bobSecond.connect()]);
  const atB = record(b, "message", (data, meta) => ({ data, meta }));
  const atBobSecond = record(bobSecond, "message", (data, meta) => ({ data, meta }));
  const sender = { client_id: a.clientId, root_id: alice.rootId };

  await a.send.user([bob.rootId], { hello: "user" });
  await a.send.channel(r, { hello: "channel" });
  await a.send.client([b.clientId], { hello: "client" });
  await atB.until(3);
  assert.deepEqual(atB.items.map((m) => m.data), [{ hello: "user" }, { hello: "channel" }, { hello: "client" }]);
  assert.deepEqual(atB.items[0].meta, { target: "user", sender });
  assert.equal(atB.items[1].meta.target, "channel");
  assert.equal(atB.items[1].meta.channel_id, r);
  assert.equal(typeof atB.items[1].meta.offset, "number");
  assert.deepEqual(atB.items[1].meta.sender, sender);
  assert.deepEqual(atB.items[2].meta, { target: "client", sender });
  await atBobSecond.until(1);
  assert.deepEqual(atBobSecond.items.map((m) => m.data), [{ hello: "user" }], "every connection of the user, only the user event");

  // the channel message also reached the subscription of b's own channel
  const inRoom = record(b.subscription(r), "message");
  const pub = a.subscribe(r);
  await pub.ready;
  await pub.publish({ hello: "publish" });
  await inRoom.until(1);
  assert.deepEqual(inRoom.items[0][0], { hello: "publish" });

  // a walker notifying its own connection: target self, no sender
  const progress = record(a, "message", (data, meta) => ({ data, meta }));
  const response = await a.walker("self_progress_notif");
  assert.equal(response.reports.length, 6);
  const selfMessages = progress.items.filter((m) => m.meta.target === "self");
  assert.equal(selfMessages.length, 6, "notifications arrive before the response");
  assert.deepEqual(selfMessages[5], { data: { any_field: "for_progress", progress: "100%", status: "completed" }, meta: { target: "self" } });

  // several ids at once, and input the client refuses before sending
  await a.send.client([b.clientId, bobSecond.clientId], { both: true });
  await Promise.all([atB.until(5), atBobSecond.until(2)]);
  assert.throws(() => a.send.user([], { x: 1 }), TypeError);
  await assert.rejects(a.send.user([bob.rootId], "text"), TypeError);
});

test("node channels: a subscription to a node gets its committed changes; a user who cannot read it is denied", async () => {
  const alice = await newUser(server.baseUrl, "alice");
  const bob = await newUser(server.baseUrl, "bob");
  const a = client({ token: alice.token });
  await a.connect();
  const project = (await a.rest.walker("create_project", { name: "board" })).reports[0].id;
  const task = (await a.rest.walker("add_task", { title: "first" }, { node: project })).reports[0].id;

  const sub = a.subscribe(task);
  const events = record(sub, "node", (event, meta) => ({ event, meta }));
  const everywhere = record(a, "node", (event) => event);
  await sub.ready;
  await a.rest.walker("update_task", { title: "second" }, { method: "patch", node: task });
  await a.rest.walker("delete_task", {}, { method: "delete", node: task });
  await events.until(2);
  const [updated, destroyed] = events.items;
  assert.equal(updated.event.id, task);
  assert.equal(updated.event.event, "updated");
  assert.deepEqual(updated.event.changes, ["fields"]);
  assert.equal(updated.event.context.title, "second");
  assert.equal(updated.meta.channel_id, task);
  assert.equal(updated.meta.offset + 1, destroyed.meta.offset);
  assert.deepEqual(destroyed.event, { id: task, event: "destroyed" });
  assert.equal(everywhere.items.length, 2);

  const b = client({ token: bob.token });
  await b.connect();
  const errors = record(b, "error");
  const denied = b.subscribe(project);
  const e = await denied.ready.catch((err) => err);
  assert.ok(e instanceof WalkerdError);
  assert.equal(e.code, "denied");
  assert.equal(e.status, 403);
  assert.equal(denied.state, "closed");
  assert.equal(b.subscription(project), undefined);
  assert.equal(errors.items.length, 1);
});

test("after unsubscribe a channel's messages no longer reach the subscription", async () => {
  const left = room();
  const stays = room();
  const a = client();
  const b = client();
  await Promise.all([a.connect(), b.connect()]);
  const leaving = a.subscribe(left);
  const staying = a.subscribe(stays);
  await Promise.all([leaving.ready, staying.ready]);
  const fromLeft = record(leaving, "message");
  const all = record(a, "message", (data, meta) => meta.channel_id);
  const fromStays = record(staying, "message");
  await leaving.unsubscribe();
  // one sender's messages arrive in the order sent: once the second is here, the first would have been too
  await b.send.channel([left], { n: 1 });
  await b.send.channel([stays], { n: 2 });
  await fromStays.until(1);
  assert.deepEqual(fromLeft.items, []);
  assert.deepEqual(all.items, [stays]);
});

test("subscribing before connecting, and several at once, joins them all with the connection", async () => {
  const rooms = [room(), room(), room()];
  const a = client({ channel: rooms[0] });
  const subs = rooms.slice(1).map((r) => a.subscribe(r));
  assert.equal(a.subscribe(rooms[1]), subs[0], "the same subscription for the same channel");
  assert.deepEqual(a.subscriptions.map((s) => s.channelId), rooms);
  assert.equal(a.state, "idle");
  const info = await a.connect();
  assert.equal(info.channel_id, rooms[0]);
  for (const s of a.subscriptions) assert.equal(s.state, "live");
  const b = client();
  await b.connect();
  const got = rooms.map((r) => record(a.subscription(r), "message"));
  await b.send.channel(rooms, { all: true });
  await Promise.all(got.map((g) => g.until(1)));
});
