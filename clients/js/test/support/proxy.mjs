// A TCP proxy in front of the server that a test controls, to cut the network under a client:
// - cut():       resets every connection and refuses new ones until restore() (the client sees the socket close);
// - blackhole(): keeps the connections open but forwards nothing either way (a dead link: only a heartbeat notices);
// - restore():   forwards new connections again;
// - retarget(p): sends new connections to another port (another server).
import { createServer, connect } from "node:net";

export async function startProxy(targetPort) {
  let mode = "open";
  let target = targetPort;
  const pairs = new Set();
  let accepted = 0;
  const server = createServer((downstream) => {
    if (mode !== "open") {
      downstream.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = connect(target, "127.0.0.1");
    const pair = { downstream, upstream, holed: false };
    pairs.add(pair);
    const forward = (from, to) => from.on("data", (chunk) => { if (!pair.holed) to.write(chunk); });
    forward(downstream, upstream);
    forward(upstream, downstream);
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
