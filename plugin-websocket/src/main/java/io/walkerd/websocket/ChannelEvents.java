package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Protocol 2's channel events: {@code join} (with recovery of what a client missed), {@code leave}, {@code presence}
 * and {@code history}. They run on a worker, one at a time per connection like every event; each gets one reply.
 */
final class ChannelEvents {
    private static final Logger log = LoggerFactory.getLogger(ChannelEvents.class);
    /** Bound on a history or presence read (Redis has its own 5 s command timeout; this only guards a stuck one). */
    private static final long READ_WAIT_SECONDS = 10;

    private final Hub hub;
    private final Broker broker;
    private final ChannelHistory history;
    private final Presence presence;
    private final NodeChannels nodes;
    private final ChannelGate gate;
    private final SocketSettings settings;
    private final Replies replies;
    private final ObjectMapper json;
    private final SocketMetrics metrics;

    /** @param history null when channels keep no history */
    ChannelEvents(Hub hub, Broker broker, ChannelHistory history, Presence presence, NodeChannels nodes, ChannelGate gate,
                  SocketSettings settings, Replies replies, ObjectMapper json, SocketMetrics metrics) {
        this.gate = gate;
        this.hub = hub;
        this.broker = broker;
        this.history = history;
        this.presence = presence;
        this.nodes = nodes;
        this.settings = settings;
        this.replies = replies;
        this.json = json;
        this.metrics = metrics;
    }

    // ---- join ----------------------------------------------------------------------------------------------

    /** One channel of a join: its membership, whether it is new, and where to recover from (null: no recovery). */
    private record Joining(String channel, Membership membership, boolean fresh, Position from) {
        boolean holds() { return fresh || from != null; }
    }

    void join(Client c, JsonNode frame, String requestId) {
        List<Replies.Problem> problems = new ArrayList<>();
        Set<String> ids = EventHandler.idList(frame, "channel_ids", problems);
        Map<String, Position> recover = recoverField(frame.get("recover"), problems);
        if (!problems.isEmpty()) {
            c.send(replies.invalid(problems, requestId));
            return;
        }
        List<Joining> joining = new ArrayList<>();
        List<Map<String, Object>> denied = new ArrayList<>();
        for (String ch : ids) {
            Membership existing = c.membership(ch);
            if (existing == null) {
                String why = c.memberships().size() >= settings.maxChannels()
                        ? "Too many channels: a connection may be in at most " + settings.maxChannels()
                        : nodes.denial(c.principal(), ch);
                if (why == null && !gate.mayJoin(c.principal(), ch)) why = gate.refusal(ch, true);
                if (why == null) {
                    Membership m = hub.join(c, ch, false);
                    if (m != null) {
                        joining.add(new Joining(ch, m, true, recover.get(ch)));
                        continue;
                    }
                    existing = c.membership(ch);
                    if (existing == null) why = "The connection is closing";
                }
                if (why != null) {
                    denied.add(entry("channel_id", ch, "reason", why));
                    continue;
                }
            }
            if (recover.containsKey(ch)) existing.hold();
            joining.add(new Joining(ch, existing, false, recover.get(ch)));
        }
        EventHandler.awaitSubscriptions(broker, c, joining.stream().filter(Joining::fresh)
                .map(j -> Topic.channel(j.channel())).toArray(Topic[]::new));

        List<CompletableFuture<ChannelHistory.Page>> reads = new ArrayList<>();
        for (Joining j : joining) reads.add(read(j));
        List<Map<String, Object>> joined = new ArrayList<>();
        List<ChannelHistory.Page> pages = new ArrayList<>();
        for (int i = 0; i < joining.size(); i++) {
            Joining j = joining.get(i);
            ChannelHistory.Page page = await(reads.get(i), j.channel());
            pages.add(page);
            Map<String, Object> e = entry("channel_id", j.channel());
            if (page != null) {
                e.put("offset", page.top().offset());
                e.put("epoch", page.top().epoch());
            }
            if (j.from() != null) e.put("recovered", page != null && page.recovered());
            joined.add(e);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("joined", joined);
        data.put("denied", denied);
        c.send(replies.event("join", data, requestId));
        for (int i = 0; i < joining.size(); i++) {
            Joining j = joining.get(i);
            if (!j.holds()) continue;
            ChannelHistory.Page page = pages.get(i);
            List<Delivery> missed = page != null && j.from() != null && page.recovered() ? page.messages() : List.of();
            metrics.messagesOut(SocketMetrics.Target.RECOVERY, j.membership().resume(missed, page == null ? null : page.top()));
        }
        if (!joining.isEmpty()) log.info("client {} joined {}", c.id(), joining.stream().map(Joining::channel).toList());
    }

    /** The channel's position, or what the member missed since {@code from}; a completed null without history. */
    private CompletableFuture<ChannelHistory.Page> read(Joining j) {
        if (history == null) return CompletableFuture.completedFuture(null);
        if (j.from() != null) return history.since(j.channel(), j.from(), settings.historySize());
        return history.position(j.channel()).thenApply(p -> new ChannelHistory.Page(p, true, List.of()));
    }

    private static Map<String, Position> recoverField(JsonNode recover, List<Replies.Problem> problems) {
        Map<String, Position> out = new LinkedHashMap<>();
        if (recover == null || recover.isNull()) return out;
        if (!recover.isObject()) {
            problems.add(Replies.Problem.of("dict_type", "recover", "Input should be a valid dictionary"));
            return out;
        }
        recover.fields().forEachRemaining(e -> {
            Position p = position(e.getValue(), problems, "recover", e.getKey());
            if (p != null) out.put(e.getKey(), p);
        });
        return out;
    }

    /** {@code {"offset": <int >= 0>, "epoch": <string>}} at {@code loc}, or null with the problems added. */
    private static Position position(JsonNode v, List<Replies.Problem> problems, Object... loc) {
        if (!v.isObject()) {
            problems.add(Replies.Problem.at("dict_type", "Input should be a dictionary with 'offset' and 'epoch'", loc));
            return null;
        }
        JsonNode offset = v.get("offset");
        JsonNode epoch = v.get("epoch");
        int before = problems.size();
        if (offset == null || !offset.canConvertToLong() || !offset.isIntegralNumber() || offset.asLong() < 0) {
            problems.add(Replies.Problem.at("int_type", "Input should be a whole number, 0 or more", append(loc, "offset")));
        }
        if (epoch == null || !epoch.isTextual()) {
            problems.add(Replies.Problem.at("string_type", "Input should be a valid string", append(loc, "epoch")));
        }
        return problems.size() > before ? null : new Position(offset.asLong(), epoch.asText());
    }

    private static Object[] append(Object[] loc, String last) {
        Object[] out = java.util.Arrays.copyOf(loc, loc.length + 1);
        out[loc.length] = last;
        return out;
    }

    /** After {@code change_user}: what the connection's node channels know of its READ is the new user's. */
    void userChanged(Client c) {
        for (Membership m : List.copyOf(c.memberships())) {
            if (NodeChannels.isNodeChannel(m.channel)) m.mayRead = nodes.mayJoin(c.principal(), m.channel);
            // a private channel the new user may not be in is left, as if the connection had left it
            else if (gate.isPrivate(m.channel) && !gate.mayJoin(c.principal(), m.channel)) hub.leave(c, m.channel);
        }
    }

    // ---- leave ---------------------------------------------------------------------------------------------

    void leave(Client c, JsonNode frame, String requestId) {
        List<Replies.Problem> problems = new ArrayList<>();
        Set<String> ids = EventHandler.idList(frame, "channel_ids", problems);
        if (!problems.isEmpty()) {
            c.send(replies.invalid(problems, requestId));
            return;
        }
        List<String> left = new ArrayList<>();
        for (String ch : ids) if (hub.leave(c, ch)) left.add(ch);
        if (!left.isEmpty()) log.info("client {} left {}", c.id(), left);
        c.send(replies.event("leave", Map.of("left", left), requestId));
    }

    // ---- presence ------------------------------------------------------------------------------------------

    void presence(Client c, JsonNode frame, String requestId) {
        String channel = memberChannel(c, frame, requestId, "presence");
        if (channel == null) return;
        List<ClientRef> members = await(presence.members(channel), channel);
        if (members == null) members = Presence.local(hub, channel);
        List<Map<String, Object>> clients = new ArrayList<>();
        for (ClientRef r : members) clients.add(entry("client_id", r.clientId(), "root_id", r.rootId()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("channel_id", channel);
        data.put("clients", clients);
        c.send(replies.event("presence", data, requestId));
    }

    // ---- history -------------------------------------------------------------------------------------------

    void history(Client c, JsonNode frame, String requestId) {
        List<Replies.Problem> problems = new ArrayList<>();
        JsonNode sinceField = frame.get("since");
        Position since = sinceField == null || sinceField.isNull() ? null : position(sinceField, problems, "since");
        JsonNode limitField = frame.get("limit");
        int limit = Math.max(1, settings.historySize());
        if (limitField != null && !limitField.isNull()) {
            if (!limitField.isIntegralNumber() || limitField.asLong() < 1) {
                problems.add(Replies.Problem.of("int_type", "limit", "Input should be a whole number, 1 or more"));
            } else {
                limit = (int) Math.min(limit, limitField.asLong());
            }
        }
        if (!problems.isEmpty()) {
            c.send(replies.invalid(problems, requestId));
            return;
        }
        String channel = memberChannel(c, frame, requestId, "history");
        if (channel == null) return;
        if (!nodes.mayJoin(c.principal(), channel)) {
            c.send(replies.invalid(List.of(Replies.Problem.of("access_denied", "channel_id",
                    "You don't have access on target entry " + channel + "!")), requestId));
            return;
        }
        ObjectNode data = json.createObjectNode();
        data.put("channel_id", channel);
        ChannelHistory.Page page = history == null ? null : await(history.since(channel, since, limit), channel);
        if (page != null) {
            data.put("epoch", page.top().epoch());
            data.put("offset", page.top().offset());
        }
        if (since != null) data.put("recovered", page != null && page.recovered());
        ArrayNode messages = data.putArray("messages");
        if (page != null) {
            for (Delivery d : page.messages()) {
                ObjectNode m = messages.addObject();
                m.put("offset", d.offset());
                if (d.kind() == Delivery.Kind.NODE) m.put("type", "node");
                m.putRawValue("data", new RawValue(d.data()));
                if (d.sender() != null) {
                    ObjectNode s = m.putObject("sender");
                    s.put("client_id", d.sender().clientId());
                    s.put("root_id", d.sender().rootId());
                }
            }
        }
        c.send(replies.event("history", data, requestId));
    }

    /** The {@code channel_id} of a presence or history event, if the connection is in it; else replies an error. */
    private String memberChannel(Client c, JsonNode frame, String requestId, String what) {
        List<Replies.Problem> problems = new ArrayList<>();
        String channel = EventHandler.requiredText(frame, "channel_id", problems);
        if (channel != null && c.membership(channel) == null) {
            problems.add(Replies.Problem.of("not_member", "channel_id",
                    "Join channel " + channel + " first: " + what + " is for its members only"));
        }
        if (!problems.isEmpty()) {
            c.send(replies.invalid(problems, requestId));
            return null;
        }
        return channel;
    }

    private static <T> T await(CompletableFuture<T> f, String channel) {
        try {
            return f.get(READ_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            log.warn("channel {}: history or presence could not be read", channel, e);
            return null;
        }
    }

    private static Map<String, Object> entry(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
