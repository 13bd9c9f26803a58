package io.walkerd.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;

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
