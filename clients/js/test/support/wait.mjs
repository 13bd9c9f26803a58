// Waiting on events with a deadline, never on the clock alone.

/** Resolves with the arguments of the next `event` that passes `filter`; rejects after `timeoutMs`. */
export function waitFor(target, event, { timeoutMs = 10_000, filter = () => true } = {}) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error("no '" + event + "' event within " + timeoutMs + " ms"));
    }, timeoutMs);
    const off = target.on(event, (...args) => {
      if (!filter(...args)) return;
      clearTimeout(timer);
      off();
      resolve(args);
    });
  });
}

/** Records every `event` of `target` as its arguments; `until(n)` waits for the n-th. */
export function record(target, event, map = (...args) => args) {
  const items = [];
  const waiters = [];
  target.on(event, (...args) => {
    items.push(map(...args));
    for (const w of [...waiters]) {
      if (items.length >= w.n) {
        clearTimeout(w.timer);
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(items);
      }
    }
  });
  return {
    items,
    until(n, timeoutMs = 10_000) {
      if (items.length >= n) return Promise.resolve(items);
      return new Promise((resolve, reject) => {
        const w = { n, resolve };
        w.timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error("only " + items.length + " of " + n + " '" + event + "' events within " + timeoutMs + " ms: "
            + JSON.stringify(items).slice(0, 2000)));
        }, timeoutMs);
        waiters.push(w);
      });
    },
  };
}

/** Rejects with `what` if `promise` has not settled within `timeoutMs`. */
export function within(promise, timeoutMs, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(what + ": not within " + timeoutMs + " ms")), timeoutMs); }),
  ]);
}

/** Whether a promise has settled, checked without waiting for it: `settled.done` after a microtask turn. */
export function track(promise) {
  const t = { done: false, value: undefined, error: undefined, promise };
  promise.then((v) => { t.done = true; t.value = v; }, (e) => { t.done = true; t.error = e; });
  return t;
}
