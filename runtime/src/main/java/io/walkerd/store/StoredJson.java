package io.walkerd.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of every stored document: jac-cloud's layout (protocol.md section 4) with ids as 24-hex strings
 * and a {@code version}. SQLite keeps exactly this text in its {@code doc} column; the MongoDB backend turns the
 * id fields into ObjectIds; exports are lines of it.
 */
public final class StoredJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Fields of a user document that are not extra registration fields. */
    public static final Set<String> USER_FIELDS = Set.of("_id", "email", "password", "root_id", "is_activated", "is_admin", "token_version");

    private StoredJson() {}

    public static ObjectNode node(NodeRecord n) {
        ObjectNode d = F.objectNode();
        d.put("_id", n.id().hex());
        d.put("name", n.name());
        d.put("root", n.root().hex());
        d.set("access", n.access());
        ArrayNode edges = d.putArray("edges");
        n.edges().forEach(edges::add);
        d.set("archetype", n.archetype());
        d.put("version", n.version());
        return d;
    }

    public static NodeRecord node(JsonNode d) {
        List<String> edges = new ArrayList<>();
        d.path("edges").forEach(e -> edges.add(e.asText()));
        return new NodeRecord(Id.of(d.get("_id").asText()), d.path("name").asText(""), Id.of(d.get("root").asText()),
                object(d.get("access")), edges, object(d.get("archetype")), d.path("version").asLong(1));
    }

    public static ObjectNode edge(EdgeRecord e) {
        ObjectNode d = F.objectNode();
        d.put("_id", e.id().hex());
        d.put("name", e.name());
        d.put("root", e.root().hex());
        d.set("access", e.access());
        d.put("source", e.source());
        d.put("target", e.target());
        d.put("is_undirected", e.undirected());
        d.set("archetype", e.archetype());
        d.put("version", e.version());
        return d;
    }

    public static EdgeRecord edge(JsonNode d) {
        return new EdgeRecord(Id.of(d.get("_id").asText()), d.path("name").asText(), Id.of(d.get("root").asText()),
                object(d.get("access")), d.path("source").asText(), d.path("target").asText(),
                d.path("is_undirected").asBoolean(false), object(d.get("archetype")), d.path("version").asLong(1));
    }

    public static ObjectNode user(UserRecord u) {
        ObjectNode d = F.objectNode();
        d.put("_id", u.id().hex());
        d.put("email", u.email());
        d.put("password", u.passwordHash());
        d.put("root_id", u.rootId().hex());
        d.put("is_activated", u.activated());
        d.put("is_admin", u.admin());
        d.put("token_version", u.tokenVersion());
        if (u.extra() != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = u.extra().fields(); it.hasNext(); ) {
                var f = it.next();
                if (!USER_FIELDS.contains(f.getKey())) d.set(f.getKey(), f.getValue());
            }
        }
        return d;
    }

    public static UserRecord user(JsonNode d) {
        ObjectNode extra = F.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
            var f = it.next();
            if (!USER_FIELDS.contains(f.getKey()) && !f.getKey().equals("version")) extra.set(f.getKey(), f.getValue());
        }
        return new UserRecord(Id.of(d.get("_id").asText()), d.path("email").asText(), d.path("password").asText(),
                Id.of(d.get("root_id").asText()), d.path("is_activated").asBoolean(true), d.path("is_admin").asBoolean(false),
                d.path("token_version").asInt(0), extra);
    }

    public static ObjectNode object(ObjectRecord o) {
        ObjectNode d = F.objectNode();
        d.put("_id", o.id().hex());
        d.put("name", o.name());
        d.put("root", o.root().hex());
        d.set("access", o.access());
        d.set("archetype", o.archetype());
        d.put("version", o.version());
        return d;
    }

    public static ObjectRecord objectRecord(JsonNode d) {
        return new ObjectRecord(Id.of(d.get("_id").asText()), d.path("name").asText(""), Id.of(d.get("root").asText()),
                object(d.get("access")), object(d.get("archetype")), d.path("version").asLong(1));
    }

    /** jac-cloud's walker document: {@code _id, name, root, access, archetype, schedule}. */
    public static ObjectNode walker(WalkerRecord w) {
        ObjectNode d = F.objectNode();
        d.put("_id", w.id().hex());
        d.put("name", w.name());
        d.put("root", w.root().hex());
        d.set("access", w.access());
        d.set("archetype", w.archetype());
        d.set("schedule", w.schedule() == null ? F.nullNode() : schedule(w.schedule()));
        return d;
    }

    public static WalkerRecord walkerRecord(JsonNode d) {
        JsonNode s = d.get("schedule");
        return new WalkerRecord(Id.of(d.get("_id").asText()), d.path("name").asText(""), Id.of(d.get("root").asText()),
                object(d.get("access")), object(d.get("archetype")), s == null || !s.isObject() ? null : schedule(s));
    }

    /** jac-cloud's order: status, node_id, root_id, execute_date, executed_date, http_status, returns (when kept), reports, custom, error. */
    public static ObjectNode schedule(ScheduleState s) {
        ObjectNode d = F.objectNode();
        d.put("status", s.status());
        d.put("node_id", s.nodeId());
        d.put("root_id", s.rootId());
        d.put("execute_date", s.executeDate() == null ? null : s.executeDate().toString());
        d.put("executed_date", s.executedDate() == null ? null : s.executedDate().toString());
        if (s.httpStatus() == null) d.putNull("http_status"); else d.put("http_status", s.httpStatus());
        if (s.returns() != null) d.set("returns", s.returns());
        d.set("reports", s.reports() == null ? F.nullNode() : s.reports());
        d.set("custom", s.custom() == null ? F.nullNode() : s.custom());
        if (s.error() == null) {
            d.putNull("error");
        } else {
            ArrayNode e = d.putArray("error");
            s.error().forEach(e::add);
        }
        return d;
    }

    public static ScheduleState schedule(JsonNode d) {
        List<String> error = null;
        if (d.path("error").isArray()) {
            error = new ArrayList<>();
            for (JsonNode e : d.get("error")) error.add(e.asText());
        } else if (d.path("error").isTextual()) {
            error = List.of(d.get("error").asText());
        }
        return new ScheduleState(d.path("status").asText(ScheduleState.PENDING), text(d.get("node_id")), text(d.get("root_id")),
                instant(d.get("execute_date")), instant(d.get("executed_date")),
                d.path("http_status").isNumber() ? d.get("http_status").asInt() : null,
                present(d.get("returns")), present(d.get("reports")), present(d.get("custom")), error);
    }

    /** A webhook key: {@code _id, name, root_id, walkers, nodes, expiration, key_hash}. */
    public static ObjectNode webhookKey(WebhookKeyRecord k) {
        ObjectNode d = F.objectNode();
        d.put("_id", k.id().hex());
        d.put("name", k.name());
        d.put("root_id", k.root().hex());
        ArrayNode walkers = d.putArray("walkers");
        k.walkers().forEach(walkers::add);
        ArrayNode nodes = d.putArray("nodes");
        k.nodes().forEach(nodes::add);
        d.put("expiration", k.expiration().toString());
        d.put("key_hash", k.keyHash());
        return d;
    }

    public static WebhookKeyRecord webhookKeyRecord(JsonNode d) {
        List<String> walkers = new ArrayList<>();
        d.path("walkers").forEach(w -> walkers.add(w.asText()));
        List<String> nodes = new ArrayList<>();
        d.path("nodes").forEach(n -> nodes.add(n.asText()));
        Instant expiration = instant(d.get("expiration"));
        return new WebhookKeyRecord(Id.of(d.get("_id").asText()), d.path("name").asText(), Id.of(d.get("root_id").asText()),
                walkers, nodes, expiration == null ? Instant.EPOCH : expiration, d.path("key_hash").asText());
    }

    private static String text(JsonNode v) { return v == null || v.isNull() ? null : v.asText(); }

    private static JsonNode present(JsonNode v) { return v == null || v.isNull() ? null : v; }

    /** ISO-8601 text (as stored), or null; a date in any other form reads as absent. */
    private static Instant instant(JsonNode v) {
        if (v == null || !v.isTextual()) return null;
        try {
            return Instant.parse(v.asText());
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return java.time.LocalDateTime.parse(v.asText()).toInstant(java.time.ZoneOffset.UTC);
            } catch (java.time.format.DateTimeParseException alsoNot) {
                return null;
            }
        }
    }

    /**
     * Equal as stored values: numbers compare by value, whatever node type holds them (a {@code long} field is a
     * LongNode when written and may read back from the store as an IntNode). Anything else compares as JSON.
     */
    public static boolean sameValue(JsonNode a, JsonNode b) {
        if (a == null || b == null) return a == b;
        return a.equals(SAME_NUMBERS, b);
    }

    private static final java.util.Comparator<JsonNode> SAME_NUMBERS = (x, y) -> {
        if (x.equals(y)) return 0;
        if (x.isNumber() && y.isNumber()) {
            if (x.isIntegralNumber() && y.isIntegralNumber()) return x.bigIntegerValue().compareTo(y.bigIntegerValue());
            return x.decimalValue().compareTo(y.decimalValue());
        }
        return 1;
    };

    /** An empty object for a missing or non-object value. */
    public static ObjectNode object(JsonNode v) { return v instanceof ObjectNode o ? o : F.objectNode(); }

    /** A root node: no type name, its own owner, the given level for everyone, no edges, no fields. */
    public static NodeRecord root(Id id, String all) {
        ObjectNode access = F.objectNode();
        access.put("all", all);
        access.putObject("roots").putObject("anchors");
        return new NodeRecord(id, "", id, access, List.of(), F.objectNode(), 1);
    }
}
