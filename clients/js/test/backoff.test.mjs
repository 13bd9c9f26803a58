// The reconnect delay: exponential backoff with full jitter (no server needed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { backoffDelay } from "../index.js";

test("the delay is drawn uniformly between minMs and min(maxMs, minMs * 2^attempt)", () => {
  const o = { minMs: 250, maxMs: 10_000 };
  assert.equal(backoffDelay(0, o, () => 0), 250);
  assert.equal(backoffDelay(0, o, () => 0.999), 250, "the first attempt waits minMs");
  assert.equal(backoffDelay(1, o, () => 1), 500);
  assert.equal(backoffDelay(3, o, () => 1), 2000);
  assert.equal(backoffDelay(3, o, () => 0.5), 1125);
  assert.equal(backoffDelay(10, o, () => 1), 10_000, "capped at maxMs");
  assert.equal(backoffDelay(1000, o, () => 1), 10_000, "no overflow for large attempts");
  assert.equal(backoffDelay(10, o, () => 0), 250, "full jitter reaches down to minMs");
});

test("with Math.random the delays stay in their bounds and spread out", () => {
  const o = { minMs: 100, maxMs: 3200 };
  for (let attempt = 0; attempt < 12; attempt++) {
    const ceiling = Math.min(o.maxMs, o.minMs * 2 ** attempt);
    const seen = new Set();
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(attempt, o);
      assert.ok(d >= o.minMs && d <= ceiling, `attempt ${attempt}: ${d}`);
      seen.add(d);
    }
    if (ceiling - o.minMs >= 100) assert.ok(seen.size > 20, "jittered, not fixed");
  }
});

test("defaults are 250 ms and 10 s", () => {
  assert.equal(backoffDelay(0), 250);
  assert.ok(backoffDelay(20) <= 10_000);
});
