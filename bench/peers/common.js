'use strict';
// What both peers share: ids shaped like walkerd's, the bench's HTTP routes, and the memory probe.
const crypto = require('crypto');

/** `<unix seconds>:<32 hex>`, like walkerd's client and channel ids. */
function newId() {
  return `${Math.floor(Date.now() / 1000)}:${crypto.randomBytes(16).toString('hex')}`;
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve(text ? JSON.parse(text) : {});
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

function reply(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The HTTP routes the bench calls on a peer, each doing what the walkerd bench walker of the same name does:
 * bench_hello answers a fixed report, bench_notify_users sends {t} to every connection of those users.
 * `notifyUsers(rootIds, data)` is the peer's own delivery.
 */
function httpHandler(notifyUsers) {
  return async (req, res) => {
    try {
      const url = req.url.split('?')[0];
      if (req.method === 'GET' && url === '/healthz') return reply(res, 200, { status: 'ok' });
      if (req.method === 'GET' && url === '/stats') {
        if (global.gc) global.gc();
        const m = process.memoryUsage();
        return reply(res, 200, { heap_used: m.heapUsed, rss: m.rss, external: m.external, array_buffers: m.arrayBuffers });
      }
      if (req.method === 'POST' && url === '/walker/bench_hello') {
        await readJson(req);
        return reply(res, 200, { status: 200, reports: ['hello'] });
      }
      if (req.method === 'POST' && url === '/walker/bench_notify_users') {
        const body = await readJson(req);
        if (!Array.isArray(body.root_ids) || typeof body.t !== 'number') {
          return reply(res, 422, { error: 'root_ids (list) and t (number) are required' });
        }
        notifyUsers(body.root_ids, { t: body.t });
        return reply(res, 200, { status: 200 });
      }
      return reply(res, 404, { error: `no route ${req.method} ${url}` });
    } catch (e) {
      return reply(res, 422, { error: String(e) });
    }
  };
}

/** The bench_progress walker: `steps` progress messages, then the walker response, all carrying t. */
function progress(context, send) {
  const t = context.t;
  const steps = Number.isInteger(context.steps) ? context.steps : 3;
  for (let i = 0; i < steps; i++) send({ t, step: i });
  return { status: 200, reports: [{ t, done: true }] };
}

module.exports = { newId, httpHandler, progress };
