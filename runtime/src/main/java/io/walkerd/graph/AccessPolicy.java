package io.walkerd.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code access} part of a node or edge document: a level for everyone and grants per root ref id. */
public final class AccessPolicy {
    private Access all;
    private final Map<String, Access> roots = new LinkedHashMap<>();

    public AccessPolicy(Access all) { this.all = all; }

    public Access all() { return all; }

    public void all(Access level) { this.all = level; }

    public Access grantFor(String rootRefId) { return roots.get(rootRefId); }

    public Map<String, Access> grants() { return roots; }

    public AccessPolicy copy() {
        AccessPolicy p = new AccessPolicy(all);
        p.roots.putAll(roots);
        return p;
    }

    /** jac-cloud's form: {@code {"all": "NO_ACCESS", "roots": {"anchors": {"n::<hex>": "READ"}}}}. */
    public ObjectNode toJson() {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("all", all.name());
        ObjectNode anchors = d.putObject("roots").putObject("anchors");
        roots.forEach((k, v) -> anchors.put(k, v.name()));
        return d;
    }

    /** Reads jac-cloud's form; a missing policy or level is NO_ACCESS, an unreadable grant is skipped. */
    public static AccessPolicy fromJson(JsonNode doc) {
        if (doc == null || !doc.isObject()) return new AccessPolicy(Access.NO_ACCESS);
        AccessPolicy p = new AccessPolicy(level(doc.get("all"), Access.NO_ACCESS));
        doc.path("roots").path("anchors").fields().forEachRemaining(f -> {
            Access a = level(f.getValue(), null);
            if (a != null) p.roots.put(f.getKey(), a);
        });
        return p;
    }

    private static Access level(JsonNode v, Access fallback) {
        if (v == null || v.isNull()) return fallback;
        try {
            return Access.parse(v.isNumber() ? v.numberValue() : v.asText());
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
