'use strict';
// Socket.IO peer: one room per channel and per user, the bench's events as Socket.IO events, and
// @socket.io/redis-adapter between instances when REDIS_URL is set.
const http = require('http');
const { Server } = require('socket.io');
const { newId, httpHandler, progress } = require('./common');

const port = Number(process.env.PORT || 8200);
const redisUrl = process.env.REDIS_URL;

let io = null;
const server = http.createServer(httpHandler((rootIds, data) => io.to(rootIds.map((r) => `u:${r}`)).emit('message', data)));
io = new Server(server, { serveClient: false, perMessageDeflate: false, transports: ['websocket'] });

io.on('connection', (socket) => {
  const query = socket.handshake.query;
  const channelId = query.channel_id || newId();
  const rootId = query.root_id || 'public';
  socket.join([`c:${channelId}`, `u:${rootId}`]);
  const hello = { client_id: socket.id, root_id: rootId, channel_id: channelId };
  socket.emit('connection', hello);
  socket.on('channel', (frame) => {
    if (frame && Array.isArray(frame.channel_ids)) io.to(frame.channel_ids.map((c) => `c:${c}`)).emit('message', frame.data);
  });
  socket.on('user', (frame) => {
    if (frame && Array.isArray(frame.root_ids)) io.to(frame.root_ids.map((r) => `u:${r}`)).emit('message', frame.data);
  });
  socket.on('connection', () => socket.emit('connection', hello));
  socket.on('walker', (frame) => {
    const response = progress((frame && frame.context) || {}, (d) => socket.emit('message', d));
    if (frame && frame.response) socket.emit('message', response);
  });
});

async function main() {
  if (redisUrl) {
    const { createClient } = require('redis');
    const { createAdapter } = require('@socket.io/redis-adapter');
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub, { key: process.env.REDIS_PREFIX || 'socket.io' })); // a run's own channels in a shared Redis
  }
  server.listen(port, '127.0.0.1', () => console.log(`socket.io peer listening on 127.0.0.1:${port}${redisUrl ? ' with Redis adapter' : ''}`));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
