// A TCP proxy in front of the server that a test controls, to cut the network under a client:
// - cut():       resets every connection and refuses new ones until restore() (the client sees the socket close);
// - blackhole(): keeps the connections open but forwards nothing either way (a dead link: only a heartbeat notices);
// - restore():   forwards new connections again;
// - retarget(p): sends new connections to another port (another server);
// - hold():      holds what the server sends on new connections; held() is it as text; release() writes it all at
//                once, so that the client reads several frames in one chunk.
import { createServer, connect } from "node:net";

export async function startProxy(targetPort) {
  let mode = "open";
  let target = targetPort;
  let holding = false;
  const heldPairs = new Set();
  const heldListeners = new Set();
  const pairs = new Set();
  let accepted = 0;
  const server = createServer((downstream) => {
    if (mode !== "open") {
      downstream.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = connect(target, "127.0.0.1");
    const pair = { downstream, upstream, holed: false, held: holding ? [] : null };
    pairs.add(pair);
    if (pair.held) heldPairs.add(pair);
    downstream.on("data", (chunk) => { if (!pair.holed) upstream.write(chunk); });
    upstream.on("data", (chunk) => {
      if (pair.holed) return;
      if (pair.held) {
        pair.held.push(chunk);
        for (const l of heldListeners) l();
      } else {
        downstream.write(chunk);
      }
    });
    const end = () => {
      pairs.delete(pair);
      if (!pair.holed) {
        downstream.destroy();
        upstream.destroy();
      }
    };
    downstream.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const port = server.address().port;
  return {
    port,
    url: "http://127.0.0.1:" + port,
    /** connections accepted (and forwarded) so far */
    get accepted() { return accepted; },
    get open() { return pairs.size; },
    cut() {
      mode = "cut";
      for (const p of [...pairs]) {
        pairs.delete(p);
        p.downstream.resetAndDestroy();
        p.upstream.destroy();
      }
    },
    blackhole() {
      for (const p of pairs) p.holed = true;
    },
    restore() {
      mode = "open";
    },
    retarget(port) {
      target = port;
    },
    hold() {
      holding = true;
    },
    /** what is held, as text (frames of a websocket from the server are not masked) */
    held() {
      return [...heldPairs].map((p) => Buffer.concat(p.held).toString("latin1")).join("");
    },
    /** resolves once the held text passes `test` */
    whenHeld(test) {
      return new Promise((resolve) => {
        const check = () => {
          if (!test(this.held())) return;
          heldListeners.delete(check);
          resolve();
        };
        heldListeners.add(check);
        check();
      });
    },
    release() {
      holding = false;
      for (const p of heldPairs) {
        const all = Buffer.concat(p.held);
        p.held = null;
        if (all.length) p.downstream.write(all);
      }
      heldPairs.clear();
    },
    async close() {
      mode = "cut";
      for (const p of [...pairs]) {
        p.downstream.destroy();
        p.upstream.destroy();
      }
      await new Promise((r) => server.close(r));
    },
  };
}
