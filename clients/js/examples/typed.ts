// A typed tour of walkerd-client: every method and event, checked by `npm run typecheck` (tsc --noEmit).
// Run against a server with: node --experimental-strip-types examples/typed.ts (Node 22+), or compile it.
import WebSocket from "ws";
import {
  WalkerdClient,
  WalkerdError,
  PUBLIC_ROOT,
  backoffDelay,
  type ConnectionInfo,
  type GapInfo,
  type HistoryPage,
  type MessageMeta,
  type NodeEvent,
  type PresenceClient,
  type Subscription,
  type WalkerResponse,
} from "walkerd-client";

interface Chat {
  type: "chat";
  data: { message: string };
}

interface Task {
  title: string;
  done: boolean;
}

export async function tour(baseUrl: string, email: string, password: string): Promise<void> {
  let token: string | null = null;
  const client = new WalkerdClient(baseUrl, {
    getToken: async () => token,
    channel: "room-1",
    WebSocket,
    authMode: "header",
    reconnect: { minMs: 250, maxMs: 10_000 },
    timeoutMs: 15_000,
    connectTimeoutMs: 5_000,
    pingIntervalMs: 25_000,
    maxInFlight: 50,
    fetch: globalThis.fetch,
  });

  // REST helpers, with the client's token
  await client.rest.register(email, password, { name: "Ada" }).catch((e: unknown) => {
    if (!(e instanceof WalkerdError) || e.status !== 409) throw e;
  });
  const login = await client.rest.login(email, password);
  token = login.token;
  const rootId: string = "n::" + login.user.root_id;
  const projects = await client.rest.walker<WalkerResponse<{ id: string }>>("list_projects", {}, { method: "get" });
  const created = await client.rest.walker("create_project", { name: "p" });
  const projectId = (created.reports?.[0] as { id: string }).id;
  await client.rest.walker("task_at", {}, { method: "get", node: projectId, path: "/position/1" }).catch(() => null);
  const raw: unknown = await client.rest.request("get", "/healthz", { timeoutMs: 2_000 });
  await client.rest.changePassword(password, password + "!", { headers: { "x-example": "1" } });
  console.log(projects.reports?.length, raw);

  // events of the client
  const offConnected = client.on("connected", (info: ConnectionInfo) => console.log("connected", info.client_id));
  client.on("disconnected", ({ code, reason, willReconnect }) => console.log(code, reason, willReconnect));
  client.on("reconnecting", ({ attempt, delayMs }) => console.log("attempt", attempt, "in", delayMs));
  client.on("message", (data: Chat, meta: MessageMeta) => console.log(meta.target, meta.channel_id, meta.offset, meta.sender?.client_id, data.data.message));
  client.on("node", (event: NodeEvent, meta: MessageMeta) => console.log(event.id, event.event, meta.epoch));
  client.on("gap", (gap: GapInfo) => console.log(gap.channel_id, gap.reason, gap.from?.offset, gap.to?.epoch));
  client.on("presence_join", (p) => console.log(p.client_id, "joined", p.channel_id));
  client.on("presence_leave", (p) => console.log(p.client_id, "left", p.channel_id));
  client.on("error", (e: WalkerdError) => console.error(e.code, e.status, e.message, e.body));
  client.on("frame", (f) => console.debug(f));
  client.on("event", (f) => console.debug("unknown", f.type));
  client.once("closed", () => console.log("closed"));
  offConnected();

  const info: ConnectionInfo = await client.connect();
  console.log(client.state, client.info?.channel_id, client.clientId, client.rootId, client.token, client.baseUrl, info.root_id !== PUBLIC_ROOT);

  // walker calls over the websocket
  const echoed = await client.walker<WalkerResponse<string>>("echo", { text: "hi" }, { timeoutMs: 5_000 });
  const first: string | undefined = echoed.reports?.[0];
  const onNode = await client.walker("walk_projects", {}, { node: projectId });
  console.log(first, onNode.status);
  try {
    await client.walker("echo", { text: "no", fail_status: 409 });
  } catch (e) {
    if (e instanceof WalkerdError) console.log(e.status, e.code, e.message, e.body);
  }

  // channels
  const sub: Subscription = client.subscribe("room-2");
  sub.on("message", (data: Chat, meta) => console.log(data.data.message, meta.offset, meta.recovered === true));
  sub.on("node", (event: NodeEvent<Task>) => console.log(event.context?.title, event.changes));
  sub.on("gap", (gap) => console.log("reload", gap.reason));
  sub.on("subscribed", (entry) => console.log(entry.offset, entry.epoch, entry.recovered));
  sub.on("error", (e) => console.log(e.code));
  sub.on("presence_join", (p) => console.log(p.root_id));
  const onceOff = sub.once("presence_leave", (p) => console.log(p.root_id));
  onceOff();
  await sub.ready;
  const here: PresenceClient[] = await sub.presence();
  const page: HistoryPage<Chat> = await sub.history({ limit: 50 });
  const since = sub.offset !== null && sub.epoch !== null ? { offset: sub.offset, epoch: sub.epoch } : undefined;
  await sub.history({ since, limit: 10, timeoutMs: 2_000 });
  await sub.publish({ type: "chat", data: { message: "hello room-2" } });
  console.log(here.length, page.messages.map((m) => m.data.data.message), page.offset, sub.channelId, sub.state);
  const board = client.subscribe(projectId);
  board.on("node", (event) => console.log(event.id, event.event));
  console.log(client.subscription("room-2") === sub, client.subscriptions.length);

  // sending to users, channels and clients
  await client.send.user([rootId], { type: "chat", data: { message: "to me" } });
  await client.send.channel(["room-1", "room-2"], { type: "chat", data: { message: "to both rooms" } });
  await client.send.client(info.client_id, { type: "chat", data: { message: "to this connection" } }, { timeoutMs: 1_000 });

  // tokens, reconnects, the end
  const after: ConnectionInfo | null = await client.setToken(token);
  console.log(after?.root_id);
  client.reconnect({ delayMs: 100 });
  client.reconnect();
  await client.connect();
  client.disconnect();
  await client.connect();
  await sub.unsubscribe();
  await board.unsubscribe();
  client.off("error", console.error);
  console.log(backoffDelay(3, { minMs: 250, maxMs: 10_000 }), backoffDelay(0), backoffDelay(1, {}, () => 0.5));
  client.close();
}
