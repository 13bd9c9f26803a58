package io.walkerd.graph;

import org.bson.Document;

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

    public Document toDocument() {
        Document anchors = new Document();
        roots.forEach((k, v) -> anchors.put(k, v.name()));
        return new Document("all", all.name()).append("roots", new Document("anchors", anchors));
    }

    public static AccessPolicy fromDocument(Document doc) {
        if (doc == null) return new AccessPolicy(Access.NO_ACCESS);
        AccessPolicy p = new AccessPolicy(Access.parse(doc.get("all", "NO_ACCESS")));
        Document roots = doc.get("roots", Document.class);
        Document anchors = roots == null ? null : roots.get("anchors", Document.class);
        if (anchors != null) anchors.forEach((k, v) -> p.roots.put(k, Access.parse(v)));
        return p;
    }
}
