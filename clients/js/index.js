// walkerd-client: a client for walkerd's websocket (protocol 2) and REST API, for browsers and Node.js 20+.
// No dependencies. Types: index.d.ts. Documentation: README.md.

/** The public root: the user of every unauthenticated connection or request. */
export const PUBLIC_ROOT = "n::000000000000000000000001";

const DEFAULT_RECONNECT = { minMs: 250, maxMs: 10_000 };
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** The server's default ping interval (SOCKET_PING_SECONDS=25). */
const DEFAULT_PING_INTERVAL_MS = 25_000;
/**
 * Requests a connection may have unanswered at once. The server closes a connection (1008) that has more than
 * SOCKET_MAX_PENDING_EVENTS (default 100) events waiting; the client keeps the rest in its own queue.
 */
const DEFAULT_MAX_IN_FLIGHT = 50;

// ---- errors ---------------------------------------------------------------------------------------------------

/**
 * Every failure the client reports. `status` is the HTTP status (or the walker error's status; 400 for a frame the
 * server refused; 0 when no server answer is involved), `code` says what kind of failure it is, `body` is what the
 * server sent (null when it sent nothing).
 */
export class WalkerdError extends Error {
  constructor(message, { status = 0, code = "error", body = null, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "WalkerdError";
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

// ---- events ---------------------------------------------------------------------------------------------------

/** A listener that throws must not break the client: its error is reported as an uncaught one, later. */
function reportListenerError(error) {
  if (typeof globalThis.reportError === "function") globalThis.reportError(error);
  else setTimeout(() => { throw error; }, 0);
}

class Emitter {
  #listeners = new Map();

  /** Adds a listener; returns a function that removes it. */
  on(event, listener) {
    if (typeof listener !== "function") throw new TypeError("listener must be a function");
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.off(event, listener);
  }

  /** Adds a listener that runs once; returns a function that removes it. */
  once(event, listener) {
    const off = this.on(event, (...args) => {
      off();
      listener(...args);
    });
    return off;
  }

  off(event, listener) {
    const set = this.#listeners.get(event);
    if (set) set.delete(listener);
    return this;
  }

  /** @internal */
  _emit(event, ...args) {
    const set = this.#listeners.get(event);
    if (!set || set.size === 0) return false;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (e) {
        reportListenerError(e);
      }
    }
    return true;
  }
}

// ---- reconnect delays -----------------------------------------------------------------------------------------

/**
 * The wait before reconnect attempt `attempt` (0 for the first after a drop): exponential backoff with full jitter,
 * a uniform draw between `minMs` and `min(maxMs, minMs * 2^attempt)`.
 */
export function backoffDelay(attempt, { minMs = DEFAULT_RECONNECT.minMs, maxMs = DEFAULT_RECONNECT.maxMs } = {}, random = Math.random) {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(Math.max(0, attempt), 40));
  return Math.round(minMs + random() * Math.max(0, ceiling - minMs));
}

// ---- helpers --------------------------------------------------------------------------------------------------

function trimSlash(s) { return s.replace(/\/+$/, ""); }

/** `http(s)://host[:port][/prefix]` from an http(s) or ws(s) URL. */
function httpBase(url) {
  const u = new URL(String(url), typeof location !== "undefined" ? location.href : undefined);
  if (u.protocol === "ws:") u.protocol = "http:";
  else if (u.protocol === "wss:") u.protocol = "https:";
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new TypeError("walkerd URL must be http(s) or ws(s): " + url);
  let path = trimSlash(u.pathname);
  if (path.endsWith("/websocket")) path = path.slice(0, -"/websocket".length);
  return u.origin + path;
}

function frameErrorMessage(problems) {
  return problems.map((p) => {
    const loc = Array.isArray(p.loc) && p.loc.length ? p.loc.join(".") + ": " : "";
    return loc + (p.msg ?? p.type ?? "invalid");
  }).join("; ");
}

/** The error a reply stands for, or null when the reply is a success. */
function replyError(msg) {
  if (Array.isArray(msg.error)) {
    return new WalkerdError(frameErrorMessage(msg.error) || "the server refused the event",
      { status: 400, code: msg.error[0]?.type ?? "invalid", body: msg });
  }
  if (msg.type === "walker" && typeof msg.error === "string") {
    return new WalkerdError(msg.error, { status: typeof msg.status === "number" ? msg.status : 500, code: "walker", body: msg });
  }
  return null;
}

/** A walker's response body from its reply: without the request id; a non-object body comes back as it was. */
function walkerBody(msg) {
  const { request_id: _, ...rest } = msg;
  const keys = Object.keys(rest);
  if (keys.length === 1 && keys[0] === "body") return rest.body;
  return rest;
}

function metaOf(frame) {
  const meta = { target: frame.type === "node" ? "channel" : frame.target };
  if (frame.channel_id !== undefined) meta.channel_id = frame.channel_id;
  if (frame.offset !== undefined) meta.offset = frame.offset;
  if (frame.epoch !== undefined) meta.epoch = frame.epoch;
  if (frame.sender !== undefined) meta.sender = frame.sender;
  return meta;
}

function hasPosition(frame) { return typeof frame.offset === "number" && typeof frame.epoch === "string"; }

function idList(ids, what) {
  const list = Array.isArray(ids) ? ids : [ids];
  if (list.length === 0 || list.some((id) => typeof id !== "string" || id === "")) {
    throw new TypeError(what + " must be one or more non-empty strings");
  }
  return list;
}

const noop = () => {};

// ---- one socket -----------------------------------------------------------------------------------------------

/** One websocket connection attempt and its replies; a new one is made for every reconnect. */
class Connection {
  constructor(socket) {
    this.socket = socket;
    /** request id -> request sent on this connection and not answered yet (timed-out ones too: the server has them) */
    this.pending = new Map();
    /** relay requests (user/channel/client events) in the order sent; the server answers them only on failure */
    this.relays = [];
    this.lastHeard = Date.now();
    this.greeted = false;
    this.dead = false;
    this.established = false;
    this.probing = false;
    this.barrierScheduled = false;
    this.lastKind = null;
    this.timers = [];
  }
}

// ---- subscriptions --------------------------------------------------------------------------------------------

/**
 * A channel this client is in. It is joined on every connection, and after a reconnect it recovers what it missed
 * (from its last offset and epoch) before anything newer, or emits `gap`.
 */
export class Subscription extends Emitter {
  #client;
  #ready;
  #resolveReady;
  #rejectReady;

  /** @internal */
  constructor(client, channelId, primary) {
    super();
    this.#client = client;
    this.channelId = channelId;
    /** @internal the channel of `?channel_id=` */
    this._primary = primary;
    /** last offset and epoch delivered (null until the channel keeps history and a position is known) */
    this.offset = null;
    this.epoch = null;
    /** 'pending' (waiting for a connection) | 'joining' | 'live' | 'closed' */
    this.state = "pending";
    /**
     * @internal deliveries held until the join is complete: from the moment it is not live, since the first frames
     * of a new connection (the `?channel_id=` channel's) can come in the same read as the connection event
     */
    this._buffer = [];
    /** @internal whether it was live on an earlier connection (so a rejoin is a recovery) */
    this._wasLive = false;
    /** @internal the join reply's entry on the current connection */
    this._entry = null;
    this.#ready = new Promise((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    this.#ready.catch(noop); // a subscription nobody awaits must not be an unhandled rejection
  }

  /** Resolves once the channel is joined (with the join reply's entry); rejects when it is denied. */
  get ready() { return this.#ready; }

  /** Who is in the channel now, on every instance. */
  async presence(options = {}) {
    const data = await this.#client._call({ type: "presence", channel_id: this.channelId }, "presence", options.timeoutMs);
    return data.data.clients;
  }

  /** The messages the channel keeps, after `since` if given, at most `limit`. */
  async history({ since, limit, timeoutMs } = {}) {
    const frame = { type: "history", channel_id: this.channelId };
    if (since !== undefined && since !== null) frame.since = { offset: since.offset, epoch: since.epoch };
    if (limit !== undefined && limit !== null) frame.limit = limit;
    const reply = await this.#client._call(frame, "history", timeoutMs);
    return reply.data;
  }

  /** Sends `data` to everyone in the channel (a `channel` event). */
  publish(data, options) { return this.#client.send.channel([this.channelId], data, options); }

  /** Leaves the channel; no more events from it. */
  unsubscribe() { return this.#client._unsubscribe(this); }

  /** @internal */
  _startJoin() {
    this.state = "joining";
    if (!this._buffer) this._buffer = [];
    this._entry = null;
  }

  /** @internal the connection dropped: what it held is dropped too (it will be recovered); join again on the next */
  _reset() {
    if (this.state === "closed") return;
    this.state = "pending";
    this._buffer = [];
    this._entry = null;
  }

  /** @internal a delivery of this channel */
  _offer(frame) {
    if (this.state === "closed") return;
    if (this.state !== "live" && this._buffer) this._buffer.push({ frame, early: this._entry === null });
    else this._deliver(frame, false);
  }

  /** @internal the join reply arrived (what it replays comes after it) */
  _replied(entry) {
    if (this.state === "joining") this._entry = entry;
  }

  /** @internal the join reply's entry and everything recovered has arrived: deliver in order, then go live */
  _finish(entry) {
    if (this.state !== "joining") return;
    const buffered = this._buffer ?? [];
    const hadPosition = this.offset !== null && this.epoch !== null;
    const wasLive = this._wasLive;
    this._buffer = null;
    this._entry = null;
    this.state = "live";
    this._wasLive = true;
    const sorted = buffered.slice().sort((a, b) =>
      hasPosition(a.frame) && hasPosition(b.frame) && a.frame.epoch === b.frame.epoch ? a.frame.offset - b.frame.offset : 0);
    const top = typeof entry.offset === "number" && typeof entry.epoch === "string" ? entry : null;
    const upToTop = (f) => hasPosition(f) && f.epoch === top.epoch && f.offset <= top.offset;

    if (!top) {
      // the server keeps no history for this channel: nothing can be recovered
      if (wasLive) this.#gap({ reason: "no_history", from: null, to: null });
      for (const b of buffered) this._deliver(b.frame, false);
    } else if (hadPosition && entry.recovered === true) {
      // what was missed (sent after the join reply, up to the channel's position then), merged in offset order
      // with what arrived live meanwhile; nothing twice
      for (const b of sorted) this._deliver(b.frame, !b.early && upToTop(b.frame));
      this.#advance(top);
    } else if (hadPosition || wasLive) {
      this.#gap({
        reason: !hadPosition ? "no_position" : this.epoch !== top.epoch ? "epoch_changed" : "history_too_short",
        from: hadPosition ? { offset: this.offset, epoch: this.epoch } : null,
        to: { offset: top.offset, epoch: top.epoch },
      });
      this.offset = top.offset;
      this.epoch = top.epoch;
      for (const b of sorted) if (!upToTop(b.frame)) this._deliver(b.frame, false);
    } else {
      // first join: what arrived before the reply (the channel of ?channel_id=), then the channel's position
      for (const b of sorted) this._deliver(b.frame, false);
      this.#advance(top);
    }
    this.#resolveReady(entry);
    this._emit("subscribed", entry);
  }

  #advance(top) {
    if (this.epoch === null || this.epoch !== top.epoch || this.offset === null || this.offset < top.offset) {
      if (this.epoch !== null && this.epoch !== top.epoch) {
        this.#gap({ reason: "epoch_changed", from: { offset: this.offset, epoch: this.epoch }, to: { offset: top.offset, epoch: top.epoch } });
      }
      this.offset = top.offset;
      this.epoch = top.epoch;
    }
  }

  /** @internal */
  _deliver(frame, recovered) {
    if (hasPosition(frame)) {
      if (this.epoch === frame.epoch && this.offset !== null && frame.offset <= this.offset) return; // had it
      if (this.epoch !== null && frame.epoch !== this.epoch) {
        this.#gap({ reason: "epoch_changed", from: { offset: this.offset, epoch: this.epoch }, to: { offset: frame.offset, epoch: frame.epoch } });
      }
      this.offset = frame.offset;
      this.epoch = frame.epoch;
    }
    const meta = metaOf(frame);
    if (recovered) meta.recovered = true;
    const kind = frame.type === "node" ? "node" : "message";
    this._emit(kind, frame.data, meta);
    this.#client._emit(kind, frame.data, meta);
  }

  #gap(info) {
    const event = { channel_id: this.channelId, ...info };
    this._emit("gap", event);
    this.#client._emit("gap", event);
  }

  /** @internal the server denied the join, or the client closed */
  _fail(error) {
    if (this.state === "closed") return;
    this.state = "closed";
    this._buffer = null;
    this.#rejectReady(error);
    if (error.code !== "closed") this._emit("error", error);
  }

  /** @internal */
  _close() {
    this.state = "closed";
    this._buffer = null;
    this.#rejectReady(new WalkerdError("unsubscribed from " + this.channelId, { code: "closed" }));
  }
}

// ---- REST -----------------------------------------------------------------------------------------------------

class Rest {
  #client;

  constructor(client) { this.#client = client; }

  /**
   * Any request to the server, with the client's token. Resolves with the parsed JSON body (text when it is not
   * JSON, null when empty); a non-2xx answer rejects with a WalkerdError carrying its status and body.
   */
  async request(method, path, { body, query, headers = {}, timeoutMs } = {}) {
    const client = this.#client;
    const url = new URL(client.baseUrl + (path.startsWith("/") ? path : "/" + path));
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, String(item));
      else url.searchParams.set(k, typeof v === "object" ? JSON.stringify(v) : String(v));
    }
    const h = { accept: "application/json", ...headers };
    const token = client.token;
    if (token && !Object.keys(h).some((k) => k.toLowerCase() === "authorization")) h.authorization = "Bearer " + token;
    const init = { method: method.toUpperCase(), headers: h };
    if (body !== undefined && init.method !== "GET" && init.method !== "HEAD") {
      h["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const ms = timeoutMs ?? client._timeoutMs;
    const abort = new AbortController();
    const timer = ms > 0 ? setTimeout(() => abort.abort(), ms) : null;
    init.signal = abort.signal;
    let response;
    let text;
    try {
      response = await client._fetch(url, init);
      text = await response.text();
    } catch (e) {
      if (abort.signal.aborted) {
        throw new WalkerdError(init.method + " " + url.pathname + ": no answer within " + ms + " ms", { code: "timeout", cause: e });
      }
      throw new WalkerdError(init.method + " " + url.pathname + " failed: " + (e?.message ?? e), { code: "network", cause: e });
    } finally {
      if (timer) clearTimeout(timer);
    }
    let parsed = null;
    if (text) {
      try { parsed = JSON.parse(text); } catch { parsed = text; }
    }
    if (!response.ok) {
      throw new WalkerdError(restErrorMessage(parsed, response), { status: response.status, code: "http", body: parsed });
    }
    return parsed;
  }

  /**
   * Runs a walker over REST: `POST /walker/<name>[/<node>]` by default. For GET, HEAD and DELETE the fields of
   * `body` go in the query string (with `query`), for the others in the JSON body.
   */
  walker(name, body = {}, { method = "post", node, path = "", query, headers, timeoutMs } = {}) {
    const m = method.toLowerCase();
    let route = "/walker/" + encodeURIComponent(name);
    if (node) route += "/" + encodeURIComponent(node);
    if (path) route += path.startsWith("/") ? path : "/" + path;
    const inQuery = m === "get" || m === "head" || m === "delete";
    return this.request(m, route, {
      body: inQuery ? undefined : body,
      query: inQuery ? { ...(body ?? {}), ...(query ?? {}) } : query,
      headers,
      timeoutMs,
    });
  }

  /** `POST /user/register`. */
  register(email, password, extra = {}, options = {}) {
    return this.request("post", "/user/register", { ...options, body: { ...extra, email, password } });
  }

  /**
   * `POST /user/login`; the token becomes the client's (REST and websocket: an open connection is re-authenticated
   * with `change_user`). Resolves with the login body `{token, user}`.
   */
  async login(email, password, options = {}) {
    const body = await this.request("post", "/user/login", { ...options, body: { email, password } });
    await this.#client.setToken(body.token);
    return body;
  }

  /** `POST /user/change_password`: every earlier token of the user stops working. */
  changePassword(oldPassword, newPassword, options = {}) {
    return this.request("post", "/user/change_password", { ...options, body: { old_password: oldPassword, new_password: newPassword } });
  }
}

function restErrorMessage(body, response) {
  if (body && typeof body === "object") {
    if (typeof body.error === "string") return body.error;
    if (typeof body.message === "string") return body.message;
    if (Array.isArray(body.detail)) return frameErrorMessage(body.detail);
    if (typeof body.detail === "string") return body.detail;
  }
  if (typeof body === "string" && body) return body;
  return "HTTP " + response.status + (response.statusText ? " " + response.statusText : "");
}

// ---- the client -----------------------------------------------------------------------------------------------

export class WalkerdClient extends Emitter {
  #WebSocket;
  #authMode;
  #getToken;
  #token;
  #primary;
  #reconnect;
  #connectTimeoutMs;
  #pingIntervalMs;
  #maxInFlight;
  #subs = new Map();
  #queue = [];
  #seq = 0;
  #conn = null;
  #info = null;
  #state = "idle";
  #started = false;
  #closed = false;
  #attempt = 0;
  #reconnectTimer = null;
  #connectWaiters = [];
  #generation = 0;

  constructor(url, options = {}) {
    super();
    /** `http(s)://host[:port][/prefix]`: REST routes hang off it, the socket is `<ws(s) of it>/websocket`. */
    this.baseUrl = httpBase(url);
    const WS = options.WebSocket ?? globalThis.WebSocket;
    if (typeof WS !== "function") {
      throw new TypeError("no WebSocket implementation: pass one as options.WebSocket (in Node.js: import WebSocket from 'ws')");
    }
    this.#WebSocket = WS;
    // the `ws` package (and any implementation passed in) can send the Authorization header; a browser cannot
    this.#authMode = options.authMode ?? (options.WebSocket && options.WebSocket !== globalThis.WebSocket ? "header" : "change_user");
    if (this.#authMode !== "header" && this.#authMode !== "change_user") throw new TypeError("authMode must be 'header' or 'change_user'");
    this.#getToken = options.getToken ?? null;
    this.#token = options.token ?? null;
    this.#primary = options.channel ?? null;
    this.#reconnect = options.reconnect === false ? false : { ...DEFAULT_RECONNECT, ...(options.reconnect ?? {}) };
    if (this.#reconnect && !(this.#reconnect.minMs >= 0 && this.#reconnect.maxMs >= this.#reconnect.minMs)) {
      throw new TypeError("reconnect needs 0 <= minMs <= maxMs");
    }
    /** @internal */
    this._timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.#pingIntervalMs = options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    const fetchImpl = options.fetch ?? globalThis.fetch;
    /** @internal */
    this._fetch = (...args) => {
      if (typeof fetchImpl !== "function") throw new TypeError("no fetch implementation: pass one as options.fetch");
      return fetchImpl(...args);
    };
    this.rest = new Rest(this);
    this.send = {
      user: (rootIds, data, opts) => this.#relay("user", "root_ids", idList(rootIds, "root ids"), data, opts),
      channel: (channelIds, data, opts) => this.#relay("channel", "channel_ids", idList(channelIds, "channel ids"), data, opts),
      client: (clientIds, data, opts) => this.#relay("client", "client_ids", idList(clientIds, "client ids"), data, opts),
    };
    if (this.#primary) this.#subs.set(this.#primary, new Subscription(this, this.#primary, true));
  }

  // ---- state --------------------------------------------------------------------------------------------------

  /** 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'closed' */
  get state() { return this.#state; }

  /** The last connection event's data ({client_id, root_id, channel_id}), null before the first. */
  get info() { return this.#info; }

  get clientId() { return this.#info?.client_id ?? null; }

  get rootId() { return this.#info?.root_id ?? null; }

  /** The token the client uses now (REST and websocket). */
  get token() { return this.#token; }

  /** The subscription of a channel, if the client is in it. */
  subscription(channelId) { return this.#subs.get(channelId); }

  /** Every subscription. */
  get subscriptions() { return [...this.#subs.values()]; }

  // ---- connecting ---------------------------------------------------------------------------------------------

  /**
   * Connects (once; later calls return the same wait) and resolves with the connection event's data once the
   * connection is authenticated and every subscription is joined. Failed attempts are retried with backoff.
   */
  connect() {
    if (this.#closed) return Promise.reject(new WalkerdError("the client is closed", { code: "closed" }));
    if (this.#state === "connected") return Promise.resolve(this.#info);
    const wait = new Promise((resolve, reject) => this.#connectWaiters.push({ resolve, reject }));
    if (!this.#started || (this.#state === "disconnected" && !this.#reconnectTimer && !this.#conn)) {
      this.#started = true;
      this.#start();
    }
    return wait;
  }

  /**
   * Drops the connection as a network failure would (calls in flight reject, subscriptions recover) and connects
   * again after `delayMs` (default: the reconnect backoff). Called while disconnected, it reschedules the attempt.
   */
  reconnect({ delayMs } = {}) {
    if (this.#closed) throw new WalkerdError("the client is closed", { code: "closed" });
    this.#started = true;
    if (this.#conn) {
      this.#drop(this.#conn, 4000, "dropped by the client", { delayMs, force: true });
    } else {
      this.#schedule(delayMs, true);
    }
  }

  /**
   * Closes the connection but not the client: no reconnect until `connect()` (or `reconnect()`) is called again.
   * Subscriptions stay and recover then; calls in flight reject with code 'disconnected', waiting ones keep waiting
   * (within their timeout).
   */
  disconnect() {
    if (this.#closed) return;
    this.#generation++; // an attempt waiting for getToken gives up
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    if (this.#conn) this.#drop(this.#conn, 1000, "disconnected by the client", { stay: true });
    this.#state = "disconnected";
    const error = new WalkerdError("disconnected by the client", { code: "disconnected" });
    for (const w of this.#connectWaiters.splice(0)) w.reject(error);
  }

  /** Closes for good: no reconnect; waiting and pending calls reject with code 'closed'. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#generation++;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    const error = new WalkerdError("the client was closed", { code: "closed" });
    const wasConnected = this.#state === "connected";
    if (this.#conn) this.#kill(this.#conn, error, 1000, "closed by the client");
    this.#conn = null;
    this.#state = "closed";
    for (const req of this.#queue.splice(0)) this.#settle(req, error);
    for (const w of this.#connectWaiters.splice(0)) w.reject(error);
    for (const sub of this.#subs.values()) sub._fail(error);
    this.#subs.clear();
    if (wasConnected) this._emit("disconnected", { code: 1000, reason: "closed by the client", willReconnect: false });
    this._emit("closed");
  }

  /**
   * Changes the token (null: log out). When connected the connection is re-authenticated with `change_user` and
   * the promise resolves with the new connection data; otherwise the next connection uses it (resolves null).
   * With `getToken`, later reconnects ask it again.
   */
  async setToken(token) {
    this.#token = token ?? null;
    if (this.#state !== "connected") return null;
    const reply = await this._call(this.#changeUserFrame(), "change_user");
    this.#checkAuthenticated();
    return reply.data;
  }

  #changeUserFrame() {
    const frame = { type: "change_user" };
    if (this.#token) frame.token = "Bearer " + this.#token;
    return frame;
  }

  #socketUrl() {
    const u = new URL(this.baseUrl + "/websocket");
    u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
    u.searchParams.set("v", "2");
    const primary = this.#primarySub();
    if (primary) u.searchParams.set("channel_id", primary.channelId);
    return u.toString();
  }

  #primarySub() {
    for (const sub of this.#subs.values()) if (sub._primary) return sub;
    return null;
  }

  #start() {
    this.#open().catch((e) => this._emit("error", e instanceof WalkerdError ? e
      : new WalkerdError("connecting failed: " + (e?.message ?? e), { code: "network", cause: e })));
  }

  async #open() {
    if (this.#closed) return;
    const generation = ++this.#generation;
    this.#state = this.#attempt > 0 || this.#info ? "reconnecting" : "connecting";
    try {
      if (this.#getToken) {
        const token = await this.#getToken();
        if (generation !== this.#generation || this.#closed) return;
        this.#token = token ?? null;
      }
    } catch (e) {
      if (generation !== this.#generation || this.#closed) return;
      this._emit("error", new WalkerdError("getToken failed: " + (e?.message ?? e), { code: "token", cause: e }));
      this.#schedule();
      return;
    }
    let socket;
    try {
      const url = this.#socketUrl();
      socket = this.#authMode === "header" && this.#token
        ? new this.#WebSocket(url, { headers: { Authorization: "Bearer " + this.#token } })
        : new this.#WebSocket(url);
    } catch (e) {
      this._emit("error", new WalkerdError("cannot open the websocket: " + (e?.message ?? e), { code: "network", cause: e }));
      this.#schedule();
      return;
    }
    const conn = new Connection(socket);
    conn.token = this.#token;
    this.#conn = conn;
    this.#attach(conn);
    try {
      await this.#establish(conn);
    } catch (e) {
      if (conn.dead || conn !== this.#conn) return; // dropped meanwhile: already handled
      this.#drop(conn, 4001, e?.message ?? String(e));
    }
  }

  #attach(conn) {
    const s = conn.socket;
    s.onmessage = (ev) => this.#received(conn, ev.data);
    s.onclose = (ev) => this.#drop(conn, ev?.code ?? 1006, ev?.reason || "connection closed");
    s.onerror = () => {}; // a close event follows every error
    if (typeof s.on === "function") s.on("ping", () => { conn.lastHeard = Date.now(); });
    conn.greeting = new Promise((resolve, reject) => {
      conn.greet = resolve;
      conn.greetingTimer = setTimeout(() => reject(new Error("no connection event within " + this.#connectTimeoutMs + " ms")), this.#connectTimeoutMs);
    });
    conn.greeting.catch(noop);
    conn.timers.push(conn.greetingTimer);
    if (this.#pingIntervalMs > 0) {
      const every = Math.max(25, Math.floor(this.#pingIntervalMs / 4));
      const heartbeat = setInterval(() => this.#heartbeat(conn), every);
      conn.timers.push(heartbeat);
    }
  }

  async #establish(conn) {
    let info = await conn.greeting;
    if (conn.dead) return;
    if (this.#authMode === "change_user" && this.#token) {
      const reply = await this.#request(conn, this.#changeUserFrame(), "change_user");
      info = reply.data;
    }
    if (conn.dead) return;
    this.#info = info;
    if (this.#token !== conn.token) {
      // setToken was called while this connection was being made
      conn.token = this.#token;
      await this.#request(conn, this.#changeUserFrame(), "change_user");
      if (conn.dead) return;
    }
    this.#checkAuthenticated();
    await this.#joinAll(conn, [...this.#subs.values()]);
    if (conn.dead || conn !== this.#conn) return;
    conn.established = true;
    this.#attempt = 0;
    this.#state = "connected";
    // subscribed while the joins were on their way
    const late = [...this.#subs.values()].filter((s) => s.state === "pending");
    if (late.length) this.#joinAll(conn, late).catch((e) => this._emit("error", e));
    for (const w of this.#connectWaiters.splice(0)) w.resolve(this.#info);
    this._emit("connected", this.#info);
    this.#pump();
  }

  /** Sends waiting requests, in order, while the connection has room for them. */
  #pump() {
    const conn = this.#conn;
    if (this.#state !== "connected" || !conn || conn.dead) return;
    while (this.#queue.length && conn.pending.size < this.#maxInFlight) {
      const req = this.#queue.shift();
      if (!req.done) this.#dispatch(conn, req);
    }
  }

  #checkAuthenticated() {
    if (this.#token && this.#info && this.#info.root_id === PUBLIC_ROOT) {
      this._emit("error", new WalkerdError("the server refused the token: this connection is the public user",
        { status: 401, code: "unauthenticated" }));
    }
  }

  /**
   * Joins subscriptions on a connection: one join frame with the recover positions, then (when something is to be
   * recovered) a `connection` event as a barrier: its reply comes after everything the join replays.
   */
  async #joinAll(conn, subs) {
    subs = subs.filter((s) => s.state !== "closed");
    if (subs.length === 0) return;
    const recover = {};
    let recovering = false;
    for (const sub of subs) {
      sub._startJoin();
      if (sub.offset !== null && sub.epoch !== null) {
        recover[sub.channelId] = { offset: sub.offset, epoch: sub.epoch };
        recovering = true;
      }
    }
    const frame = { type: "join", channel_ids: subs.map((s) => s.channelId) };
    if (recovering) frame.recover = recover;
    const joined = this.#request(conn, frame, "join");
    const barrier = recovering ? this.#request(conn, { type: "connection" }, "barrier") : null;
    let reply;
    try {
      reply = await joined;
    } catch (e) {
      if (conn.dead) return;
      for (const sub of subs) if (sub.state === "joining") this.#removeSub(sub, e);
      return;
    }
    const entries = new Map();
    for (const entry of reply.data?.joined ?? []) entries.set(entry.channel_id, entry);
    for (const denied of reply.data?.denied ?? []) {
      const sub = this.#subs.get(denied.channel_id);
      if (sub && subs.includes(sub)) {
        this.#removeSub(sub, new WalkerdError("cannot join " + denied.channel_id + ": " + denied.reason,
          { status: 403, code: "denied", body: denied }));
      }
    }
    if (barrier) {
      try {
        await barrier;
      } catch (e) {
        if (conn.dead) return;
      }
    }
    if (conn.dead) return;
    for (const sub of subs) {
      const entry = entries.get(sub.channelId);
      if (entry && sub.state === "joining") sub._finish(entry);
    }
  }

  #removeSub(sub, error) {
    if (this.#subs.get(sub.channelId) === sub) this.#subs.delete(sub.channelId);
    sub._fail(error);
    this._emit("error", error);
  }

  /**
   * Joins a channel (now, or on the next connection) and keeps it joined, with recovery, across reconnects. Called
   * again for a channel the client is in, it returns the same subscription.
   */
  subscribe(channelId) {
    if (typeof channelId !== "string" || channelId === "") throw new TypeError("channelId must be a non-empty string");
    if (this.#closed) throw new WalkerdError("the client is closed", { code: "closed" });
    let sub = this.#subs.get(channelId);
    if (sub) return sub;
    sub = new Subscription(this, channelId, false);
    this.#subs.set(channelId, sub);
    if (this.#state === "connected" && this.#conn) {
      const conn = this.#conn;
      this.#joinAll(conn, [sub]).catch((e) => this._emit("error", e));
    }
    return sub;
  }

  /** @internal */
  async _unsubscribe(sub) {
    if (sub.state === "closed") return;
    if (this.#subs.get(sub.channelId) === sub) this.#subs.delete(sub.channelId);
    sub._close();
    if (this.#state === "connected" && this.#conn) {
      await this.#request(this.#conn, { type: "leave", channel_ids: [sub.channelId] }, "leave", this._timeoutMs)
        .catch((e) => { if (e.code !== "disconnected" && e.code !== "closed") throw e; });
    }
  }

  // ---- reconnecting -------------------------------------------------------------------------------------------

  #heartbeat(conn) {
    if (conn.dead) return;
    const silent = Date.now() - conn.lastHeard;
    if (silent > 2 * this.#pingIntervalMs) {
      this.#drop(conn, 4002, "nothing received for " + silent + " ms (heartbeat)");
    } else if (silent > this.#pingIntervalMs && !conn.probing && conn.greeted) {
      // browsers do not show pings: ask the server for something
      conn.probing = true;
      this.#request(conn, { type: "connection" }, "probe").then(noop, noop).finally(() => { conn.probing = false; });
    }
  }

  /** Ends a connection; unless the client is closed, the next attempt is scheduled. */
  #drop(conn, code, reason, { delayMs, force = false, stay = false } = {}) {
    if (conn.dead) return;
    const wasConnected = conn.established && this.#state === "connected";
    this.#kill(conn, new WalkerdError("the connection was lost before the reply came (" + reason + "); a walker call is not retried: it may or may not have run",
      { code: "disconnected" }), stay ? 1000 : 4000, reason);
    if (conn !== this.#conn) return;
    this.#conn = null;
    for (const sub of this.#subs.values()) sub._reset();
    if (this.#closed) return;
    const willReconnect = !stay && (this.#reconnect !== false || force);
    this.#state = willReconnect ? "reconnecting" : "disconnected";
    if (wasConnected) this._emit("disconnected", { code, reason, willReconnect });
    if (willReconnect) {
      this.#schedule(delayMs, force);
    } else {
      const error = new WalkerdError("cannot connect: " + reason, { code: "disconnected" });
      for (const w of this.#connectWaiters.splice(0)) w.reject(error);
    }
  }

  /** Closes a connection's socket without waiting for it, and fails what was sent on it. */
  #kill(conn, error, code, reason) {
    conn.dead = true;
    for (const t of conn.timers) { clearTimeout(t); clearInterval(t); }
    const s = conn.socket;
    if (typeof s.on === "function") s.on("error", noop); // a late socket error must not be uncaught
    s.onmessage = null;
    s.onclose = null;
    s.onerror = null;
    if (typeof s.removeAllListeners === "function") s.removeAllListeners("ping");
    try {
      if (typeof s.terminate === "function" && code !== 1000) s.terminate();
      else s.close(code === 1000 ? 1000 : 4000, String(reason).slice(0, 120));
    } catch {
      // already closed
    }
    for (const req of conn.pending.values()) this.#settle(req, error);
    conn.pending.clear();
    conn.relays.length = 0;
  }

  #schedule(delayMs, force = false) {
    if (this.#closed) return;
    if (this.#reconnect === false && delayMs === undefined && !force) return;
    clearTimeout(this.#reconnectTimer);
    this.#generation++; // an attempt still waiting for getToken gives way to this one
    const attempt = this.#attempt++;
    const wait = delayMs ?? backoffDelay(attempt, this.#reconnect || DEFAULT_RECONNECT);
    this.#state = this.#info ? "reconnecting" : "connecting";
    this._emit("reconnecting", { attempt: attempt + 1, delayMs: wait });
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      this.#start();
    }, wait);
  }

  // ---- frames in ----------------------------------------------------------------------------------------------

  #received(conn, raw) {
    if (conn.dead) return;
    conn.lastHeard = Date.now();
    if (typeof raw !== "string") return; // the server sends text frames only
    let msg;
    try {
      msg = JSON.parse(raw);
    } catch (e) {
      this._emit("error", new WalkerdError("the server sent a frame that is not JSON", { code: "protocol", body: raw, cause: e }));
      return;
    }
    if (!msg || typeof msg !== "object") return;
    this._emit("frame", msg);
    if (typeof msg.request_id === "string") {
      this.#reply(conn, msg);
      return;
    }
    switch (msg.type) {
      case "connection":
        if (!conn.greeted) {
          conn.greeted = true;
          clearTimeout(conn.greetingTimer);
          conn.greet(msg.data);
        } else {
          this.#info = msg.data;
        }
        return;
      case "message":
      case "node":
        this.#delivery(msg);
        return;
      case "presence_join":
      case "presence_leave": {
        const sub = this.#subs.get(msg.data?.channel_id);
        if (sub && sub.state !== "closed") sub._emit(msg.type, msg.data);
        this._emit(msg.type, msg.data);
        return;
      }
      default:
        if (msg.error !== undefined) {
          const error = replyError(msg) ?? new WalkerdError(String(msg.error), { code: "server", body: msg });
          this._emit("error", error);
        } else {
          this._emit("event", msg);
        }
    }
  }

  #delivery(frame) {
    if (frame.channel_id !== undefined && (frame.target === "channel" || frame.type === "node")) {
      const sub = this.#subs.get(frame.channel_id);
      if (sub && sub.state !== "closed") {
        sub._offer(frame);
        return;
      }
    }
    const meta = metaOf(frame);
    this._emit(frame.type === "node" ? "node" : "message", frame.data, meta);
  }

  #reply(conn, msg) {
    const req = conn.pending.get(msg.request_id);
    if (!req) return;
    conn.pending.delete(msg.request_id);
    // replies come in the order events were sent: every relay sent before this event went through
    while (conn.relays.length && conn.relays[0].seq < req.seq) {
      const relay = conn.relays.shift();
      if (conn.pending.delete(relay.rid)) this.#settle(relay, null, undefined);
    }
    if (req.kind === "relay") {
      const i = conn.relays.indexOf(req);
      if (i >= 0) conn.relays.splice(i, 1);
    }
    if (msg.type === "connection" && msg.data && !Array.isArray(msg.error)) this.#info = msg.data;
    const error = replyError(msg);
    if (!error && req.kind === "join") {
      // now, not after an await: what the join replays may be in the same read as its reply
      for (const entry of msg.data?.joined ?? []) this.#subs.get(entry.channel_id)?._replied(entry);
    }
    // a request that timed out is settled already: its late reply only frees its place
    if (error) this.#settle(req, error);
    else this.#settle(req, null, req.kind === "walker" ? walkerBody(msg) : msg);
    this.#pump();
  }

  // ---- frames out ---------------------------------------------------------------------------------------------

  /**
   * A request made by the application: sent now when connected, else queued until the connection is up. The
   * timeout runs from now, whether it waits or is in flight.
   * @internal
   */
  _call(frame, kind, timeoutMs) {
    if (this.#closed) return Promise.reject(new WalkerdError("the client is closed", { code: "closed" }));
    const ms = timeoutMs ?? this._timeoutMs;
    return new Promise((resolve, reject) => {
      const req = { frame, kind, resolve, reject, conn: null, rid: null, seq: 0, timer: null, done: false };
      if (ms > 0) {
        req.timer = setTimeout(() => {
          if (req.done) return;
          if (req.conn) {
            // it stays in the connection's pending requests until the server answers: the server still has it
            this.#settle(req, new WalkerdError("no reply to " + describe(frame) + " within " + ms + " ms", { code: "timeout" }));
          } else {
            const i = this.#queue.indexOf(req);
            if (i >= 0) this.#queue.splice(i, 1);
            const why = this.#state === "connected" ? "no room to send it within " + ms + " ms (maxInFlight requests unanswered)"
              : "not connected within " + ms + " ms";
            this.#settle(req, new WalkerdError(why + ": " + describe(frame) + " was not sent", { code: "timeout" }));
          }
        }, ms);
      }
      this.#queue.push(req);
      if (this.#state === "connected") this.#pump();
      else if (!this.#started) this.connect().catch(noop);
    });
  }

  /** A request of the client itself on a given connection (handshake, joins, probes). */
  #request(conn, frame, kind, timeoutMs = 0) {
    return new Promise((resolve, reject) => {
      const req = { frame, kind, resolve, reject, conn: null, rid: null, seq: 0, timer: null, done: false };
      if (timeoutMs > 0) {
        req.timer = setTimeout(() => {
          if (!req.done) this.#settle(req, new WalkerdError("no reply to " + describe(frame) + " within " + timeoutMs + " ms", { code: "timeout" }));
        }, timeoutMs);
      }
      this.#dispatch(conn, req);
    });
  }

  #dispatch(conn, req) {
    if (req.done) return;
    if (conn.dead) {
      this.#settle(req, new WalkerdError("the connection was lost before " + describe(req.frame) + " was sent", { code: "disconnected" }));
      return;
    }
    req.seq = ++this.#seq;
    req.rid = String(req.seq);
    req.conn = conn;
    conn.pending.set(req.rid, req);
    if (req.kind === "relay") conn.relays.push(req);
    conn.lastKind = req.kind;
    try {
      conn.socket.send(JSON.stringify({ ...req.frame, request_id: req.rid }));
    } catch (e) {
      this.#drop(conn, 4003, "send failed: " + (e?.message ?? e));
      return;
    }
    if (req.kind === "relay" && !conn.barrierScheduled) {
      // relays get no reply on success: a later reply confirms them, so make sure one comes
      conn.barrierScheduled = true;
      queueMicrotask(() => {
        conn.barrierScheduled = false;
        if (!conn.dead && conn.lastKind === "relay") this.#request(conn, { type: "connection" }, "barrier").then(noop, noop);
      });
    }
  }

  #settle(req, error, value) {
    if (req.done) return;
    req.done = true;
    clearTimeout(req.timer);
    if (error) req.reject(error);
    else req.resolve(value);
  }

  #relay(type, field, ids, data, options = {}) {
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      return Promise.reject(new TypeError("data must be an object"));
    }
    return this._call({ type, [field]: ids, data }, "relay", options.timeoutMs).then(noop);
  }

  // ---- walkers ------------------------------------------------------------------------------------------------

  /**
   * Runs a walker over the websocket and resolves with its response body (`{status, reports?, ...}`). A walker
   * error rejects with a WalkerdError carrying its status. Made while disconnected, the call waits for the
   * connection (within its timeout); in flight when the connection drops, it rejects with code 'disconnected' and
   * is not retried.
   */
  walker(name, context = {}, { node, timeoutMs } = {}) {
    if (typeof name !== "string" || name === "") return Promise.reject(new TypeError("walker name must be a non-empty string"));
    const frame = { type: "walker", walker: name, context, response: true };
    if (node !== undefined && node !== null) frame.node = node;
    return this._call(frame, "walker", timeoutMs);
  }
}

function describe(frame) {
  return frame.type === "walker" ? "walker " + frame.walker : "the " + frame.type + " event";
}
