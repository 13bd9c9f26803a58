'use strict';
// Node ws peer: walkerd's JSON websocket protocol (connection, channel, user and walker events) over the `ws`
// package, with optional Redis pub/sub between instances, so the generator does the same work per message.
const http = require('http');
const { WebSocketServer } = require('ws');
const { newId, httpHandler, progress } = require('./common');

const port = Number(process.env.PORT || 8100);
const redisUrl = process.env.REDIS_URL;
const prefix = process.env.REDIS_PREFIX || 'bench:ws:'; // a run's own channels in a shared Redis
const instance = newId();
const channels = new Map();
const users = new Map();
let pub = null;

function join(index, key, ws) {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(ws);
}

function leave(index, key, ws) {
  const set = index.get(key);
  if (set && set.delete(ws) && set.size === 0) index.delete(key);
}

function deliverLocally(index, ids, text) {
  // encoded once per delivery, not once per connection: the fastest broadcast ws allows
  const frame = Buffer.from(text);
  if (ids.length === 1) {
    const set = index.get(ids[0]);
    if (set) for (const ws of set) ws.send(frame, { binary: false });
    return;
  }
  // several channels or users: each connection once, as walkerd and Socket.IO's rooms do
  const targets = new Set();
  for (const id of ids) {
    const set = index.get(id);
    if (set) for (const ws of set) targets.add(ws);
  }
  for (const ws of targets) ws.send(frame, { binary: false });
}

function deliver(kind, ids, data) {
  const text = JSON.stringify(data);
  deliverLocally(kind === 'user' ? users : channels, ids, text);
  if (pub) pub.publish(prefix + kind, JSON.stringify({ from: instance, ids, text }));
}

const server = http.createServer(httpHandler((rootIds, data) => deliver('user', rootIds, data)));
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname !== '/websocket') return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => connected(ws, url.searchParams));
});

function connected(ws, query) {
  const clientId = newId();
  const channelId = query.get('channel_id') || newId();
  const rootId = query.get('root_id') || 'public';
  join(channels, channelId, ws);
  join(users, rootId, ws);
  const hello = JSON.stringify({ type: 'connection', data: { client_id: clientId, root_id: rootId, channel_id: channelId } });
  ws.send(hello);
  ws.on('message', (raw, isBinary) => {
    let frame;
    try {
      frame = JSON.parse(raw.toString());
    } catch (e) {
      return ws.send(JSON.stringify({ error: 'not JSON' }));
    }
    switch (frame.type) {
      case 'channel': return deliver('channel', frame.channel_ids, frame.data);
      case 'user': return deliver('user', frame.root_ids, frame.data);
      case 'connection': return ws.send(hello);
      case 'walker': {
        const response = progress(frame.context || {}, (d) => ws.send(JSON.stringify(d)));
        if (frame.response) ws.send(JSON.stringify(response));
        return undefined;
      }
      default: return ws.send(JSON.stringify({ error: `unknown type ${frame.type}` }));
    }
  });
  ws.on('close', () => {
    leave(channels, channelId, ws);
    leave(users, rootId, ws);
  });
  ws.on('error', () => {});
}

async function main() {
  if (redisUrl) {
    const { createClient } = require('redis');
    pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    for (const kind of ['channel', 'user']) {
      await sub.subscribe(prefix + kind, (message) => {
        const m = JSON.parse(message);
        if (m.from !== instance) deliverLocally(kind === 'user' ? users : channels, m.ids, m.text);
      });
    }
  }
  server.listen(port, '127.0.0.1', () => console.log(`ws peer listening on 127.0.0.1:${port}${redisUrl ? ' with Redis' : ''}`));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
