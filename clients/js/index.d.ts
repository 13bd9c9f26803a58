// Type declarations of walkerd-client (hand-written; the code is index.js).

/** The public root: the user of every unauthenticated connection or request. */
export declare const PUBLIC_ROOT: "n::000000000000000000000001";

/** What the client reports as `WalkerdError.code`. */
export type WalkerdErrorCode =
  /** a walker answered with an error (`status` is its HTTP status) */
  | "walker"
  /** a REST call answered with a non-2xx status */
  | "http"
  /** the connection was lost while the call was in flight; it is not retried */
  | "disconnected"
  /** no reply (or no connection) within the call's timeout */
  | "timeout"
  /** the client was closed, or the subscription left */
  | "closed"
  /** the server refused to let this connection join a channel */
  | "denied"
  /** the server did not accept the token: the connection is the public user */
  | "unauthenticated"
  /** getToken threw */
  | "token"
  /** a REST request or websocket could not be made at all */
  | "network"
  /** the server sent something that is not JSON */
  | "protocol"
  /** otherwise: the `type` of the first problem of a refused frame, e.g. "missing", "dict_type", "not_member" */
  | (string & {});

export declare class WalkerdError extends Error {
  constructor(message: string, options?: { status?: number; code?: WalkerdErrorCode; body?: unknown; cause?: unknown });
  readonly name: "WalkerdError";
  /** HTTP status, the walker error's status, 400 for a frame the server refused, 0 when no server answer is involved */
  status: number;
  code: WalkerdErrorCode;
  /** what the server sent (the reply or response body); null when it sent nothing */
  body: unknown;
}

/** The connection event's data. */
export interface ConnectionInfo {
  client_id: string;
  root_id: string;
  channel_id: string;
}

/** Another client whose event caused a delivery. */
export interface Sender {
  client_id: string;
  root_id: string;
}

/** How a delivery reached this client. */
export interface MessageMeta {
  /** `self` (notifySelf), `user`, `channel` or `client` */
  target: "self" | "user" | "channel" | "client";
  /** channel deliveries */
  channel_id?: string;
  /** channel deliveries, when the channel keeps history */
  offset?: number;
  epoch?: string;
  /** present when another client's event caused the delivery; absent when a walker notified */
  sender?: Sender;
  /** true when it was missed while disconnected and replayed after the reconnect */
  recovered?: boolean;
}

/** A node channel's event: what a commit did to the node. */
export interface NodeEvent<C = any> {
  id: string;
  event: "updated" | "destroyed";
  changes?: Array<"fields" | "edges" | "access">;
  context?: C;
}

/** A position in a channel's history. */
export interface Position {
  offset: number;
  epoch: string;
}

/** Recovery was impossible: the missed messages are not coming; reload the state. */
export interface GapInfo {
  channel_id: string;
  reason: "history_too_short" | "epoch_changed" | "no_history" | "no_position";
  /** the last position this client had, if it had one */
  from: Position | null;
  /** the channel's position when it rejoined, if the channel keeps history */
  to: Position | null;
}

/** The join reply's entry for a channel. */
export interface JoinedEntry {
  channel_id: string;
  offset?: number;
  epoch?: string;
  recovered?: boolean;
}

export interface PresenceClient {
  client_id: string;
  root_id: string;
}

export interface PresenceChange {
  channel_id: string;
  client_id: string;
  root_id: string;
}

export interface HistoryMessage<T = unknown> {
  offset: number;
  data: T;
  sender?: Sender;
  /** "node" for a node channel's events */
  type?: "node";
}

export interface HistoryPage<T = unknown> {
  channel_id: string;
  /** absent when the server keeps no history */
  epoch?: string;
  offset?: number;
  /** with `since`: whether the history reaches back to it */
  recovered?: boolean;
  messages: Array<HistoryMessage<T>>;
}

/** A walker's response body (protocol.md section 3), or whatever body the walker set. */
export interface WalkerResponse<R = unknown> {
  status: number;
  reports?: R[];
  returns?: unknown[];
  [key: string]: unknown;
}

export interface DisconnectInfo {
  code: number;
  reason: string;
  willReconnect: boolean;
}

export interface ReconnectingInfo {
  /** 1 for the first attempt after a drop */
  attempt: number;
  delayMs: number;
}

/** What the client needs of a WebSocket: the browser's, or the `ws` package's (which can send headers). */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket class: called as `new WebSocket(url)`, or `new WebSocket(url, { headers })` in "header" mode. */
export type WebSocketConstructor = new (url: string, ...rest: any[]) => WebSocketLike;

export interface ClientOptions {
  /** A token from POST /user/login. */
  token?: string | null;
  /** Called before every connection (the first and each reconnect) for a fresh token. */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** The connection's own channel (`?channel_id=`); it is subscribed and recovers like any other. */
  channel?: string;
  /** The WebSocket implementation; default: `globalThis.WebSocket`. In Node.js pass the `ws` package's. */
  WebSocket?: WebSocketConstructor;
  /**
   * How the socket is authenticated: "header" (Authorization header; needs an implementation that can send
   * headers, such as `ws`) or "change_user" (an event after connecting; what a browser must do). Default: "header"
   * when `WebSocket` is passed and is not the global one, else "change_user".
   */
  authMode?: "header" | "change_user";
  /** Reconnect backoff (full jitter between minMs and min(maxMs, minMs * 2^attempt)); false: never reconnect. Default 250 / 10000. */
  reconnect?: { minMs?: number; maxMs?: number } | false;
  /** Default timeout of walker calls and other requests, ms (default 30000). */
  timeoutMs?: number;
  /** How long to wait for the connection event after opening the socket, ms (default 10000). */
  connectTimeoutMs?: number;
  /**
   * The server's ping interval (SOCKET_PING_SECONDS, default 25 s), ms. After one interval without a frame the
   * client asks the server for one; after two it treats the connection as dead and replaces it. 0 turns it off.
   */
  pingIntervalMs?: number;
  /**
   * Requests one connection may have unanswered at once (default 50); later ones wait in the client, in order. Keep
   * it below the server's SOCKET_MAX_PENDING_EVENTS (default 100), which closes a connection that has more waiting.
   */
  maxInFlight?: number;
  /** The fetch implementation of the REST helpers; default: `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
}

export interface CallOptions {
  timeoutMs?: number;
}

export interface WalkerOptions extends CallOptions {
  /** Spawn the walker on this node (a ref id) instead of the caller's root. */
  node?: string;
}

export interface RestOptions extends CallOptions {
  headers?: Record<string, string>;
}

export interface RestRequestOptions extends RestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined | Array<string | number | boolean>>;
}

export interface RestWalkerOptions extends RestOptions {
  /** default "post" */
  method?: "get" | "post" | "put" | "patch" | "delete" | "head" | "options" | (string & {});
  /** Spawn the walker on this node (a ref id). */
  node?: string;
  /** Extra path after the walker (and node), for walkers with a `path` spec. */
  path?: string;
  query?: RestRequestOptions["query"];
}

export interface LoginUser {
  id: string;
  email: string;
  root_id: string;
  is_activated: boolean;
  is_admin: boolean;
  [key: string]: unknown;
}

export interface LoginResponse {
  token: string;
  user: LoginUser;
}

type Listener<A extends unknown[]> = (...args: A) => void;

export interface SubscriptionEvents {
  /** a message of the channel, in offset order, never twice */
  message: [data: any, meta: MessageMeta];
  /** a node channel's event */
  node: [event: NodeEvent, meta: MessageMeta];
  /** missed messages could not be recovered: reload the state */
  gap: [info: GapInfo];
  /** joined (again): the join reply's entry */
  subscribed: [entry: JoinedEntry];
  /** the server denied the join; the subscription is over */
  error: [error: WalkerdError];
  /** with SOCKET_JOIN_LEAVE=true */
  presence_join: [change: PresenceChange];
  presence_leave: [change: PresenceChange];
}

export declare class Subscription {
  private constructor();
  readonly channelId: string;
  /** The last offset and epoch delivered; null until known (or when the channel keeps no history). */
  readonly offset: number | null;
  readonly epoch: string | null;
  readonly state: "pending" | "joining" | "live" | "closed";
  /** Resolves once joined; rejects (code "denied") when the server refuses the channel. */
  readonly ready: Promise<JoinedEntry>;
  /** Who is in the channel, on every instance. */
  presence(options?: CallOptions): Promise<PresenceClient[]>;
  /** What the channel keeps: after `since` if given, at most `limit` messages. */
  history<T = unknown>(options?: { since?: Position; limit?: number; timeoutMs?: number }): Promise<HistoryPage<T>>;
  /** A `channel` event to this channel. */
  publish(data: Record<string, unknown>, options?: CallOptions): Promise<void>;
  /** Leaves the channel. */
  unsubscribe(): Promise<void>;
  on<E extends keyof SubscriptionEvents>(event: E, listener: Listener<SubscriptionEvents[E]>): () => void;
  once<E extends keyof SubscriptionEvents>(event: E, listener: Listener<SubscriptionEvents[E]>): () => void;
  off<E extends keyof SubscriptionEvents>(event: E, listener: Listener<SubscriptionEvents[E]>): this;
}

export interface ClientEvents {
  /** connected (or reconnected), authenticated, every subscription joined */
  connected: [info: ConnectionInfo];
  /** a connection that was up is gone */
  disconnected: [info: DisconnectInfo];
  /** the next attempt is scheduled */
  reconnecting: [info: ReconnectingInfo];
  /** every delivery: self, user, client and channel messages */
  message: [data: any, meta: MessageMeta];
  /** every node channel event */
  node: [event: NodeEvent, meta: MessageMeta];
  /** a subscription could not recover */
  gap: [info: GapInfo];
  presence_join: [change: PresenceChange];
  presence_leave: [change: PresenceChange];
  /** problems that belong to no call: a refused token, a denied channel, a frame error without request id */
  error: [error: WalkerdError];
  /** every frame received, parsed (for logs and debugging) */
  frame: [frame: Record<string, unknown>];
  /** a server event the client does not know */
  event: [frame: Record<string, unknown>];
  /** close() was called */
  closed: [];
}

export interface Send {
  /** `data` to every connection of these users (root ids). Resolves once the server has taken it. */
  user(rootIds: string | string[], data: Record<string, unknown>, options?: CallOptions): Promise<void>;
  /** `data` to every connection in these channels. */
  channel(channelIds: string | string[], data: Record<string, unknown>, options?: CallOptions): Promise<void>;
  /** `data` to these connections. */
  client(clientIds: string | string[], data: Record<string, unknown>, options?: CallOptions): Promise<void>;
}

export interface Rest {
  /** Any request, with the client's token; resolves with the parsed body; non-2xx rejects (code "http"). */
  request<T = any>(method: string, path: string, options?: RestRequestOptions): Promise<T>;
  /** A walker over REST (POST by default; for GET/HEAD/DELETE `body`'s fields go in the query string). */
  walker<T = WalkerResponse>(name: string, body?: Record<string, unknown>, options?: RestWalkerOptions): Promise<T>;
  register(email: string, password: string, extra?: Record<string, unknown>, options?: RestOptions): Promise<{ message: string }>;
  /** Logs in; the token becomes the client's (an open connection is re-authenticated). */
  login(email: string, password: string, options?: RestOptions): Promise<LoginResponse>;
  changePassword(oldPassword: string, newPassword: string, options?: RestOptions): Promise<{ message: string }>;
}

export declare class WalkerdClient {
  /** @param url the server, `http(s)://host:port` (a `ws(s)://` URL works too) */
  constructor(url: string, options?: ClientOptions);
  /** `http(s)://host[:port][/prefix]` */
  readonly baseUrl: string;
  readonly state: "idle" | "connecting" | "connected" | "reconnecting" | "disconnected" | "closed";
  /** The last connection event's data; null before the first. */
  readonly info: ConnectionInfo | null;
  readonly clientId: string | null;
  readonly rootId: string | null;
  readonly token: string | null;
  readonly subscriptions: Subscription[];
  readonly send: Send;
  readonly rest: Rest;

  /** Connects; resolves once authenticated and every subscription is joined. Failed attempts are retried. */
  connect(): Promise<ConnectionInfo>;
  /** Runs a walker over the websocket; resolves with its response body. */
  walker<T = WalkerResponse>(name: string, context?: Record<string, unknown>, options?: WalkerOptions): Promise<T>;
  /** Joins a channel and keeps it joined, recovering missed messages after every reconnect. */
  subscribe(channelId: string): Subscription;
  subscription(channelId: string): Subscription | undefined;
  /** change_user: re-authenticates an open connection (resolves with its data), else keeps it for the next (null). */
  setToken(token: string | null): Promise<ConnectionInfo | null>;
  /** Drops the connection as a network failure would and connects again after `delayMs` (default: the backoff). */
  reconnect(options?: { delayMs?: number }): void;
  /**
   * Closes the connection but not the client: no reconnect until connect() or reconnect(). Subscriptions stay and
   * recover then; calls in flight reject (code "disconnected"), waiting ones keep waiting within their timeout.
   */
  disconnect(): void;
  /** Closes for good. */
  close(): void;

  on<E extends keyof ClientEvents>(event: E, listener: Listener<ClientEvents[E]>): () => void;
  once<E extends keyof ClientEvents>(event: E, listener: Listener<ClientEvents[E]>): () => void;
  off<E extends keyof ClientEvents>(event: E, listener: Listener<ClientEvents[E]>): this;
}

/** The wait before reconnect attempt `attempt` (0-based): uniform between minMs and min(maxMs, minMs * 2^attempt). */
export declare function backoffDelay(attempt: number, options?: { minMs?: number; maxMs?: number }, random?: () => number): number;
