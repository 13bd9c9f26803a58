package io.walkerd.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;
import io.walkerd.graph.StoredFields;

import java.util.List;

/**
 * A node document as stored (protocol.md section 4): its type name ({@code ""} for a root), owner root, access
 * policy in jac-cloud's form ({@code {"all": "NO_ACCESS", "roots": {"anchors": {...}}}}), the ref ids of every edge
 * touching it, its fields, and the version that optimistic commits compare. The fields are kept as the store read
 * them ({@link StoredFields}: the stored text where the backend has it); {@link #archetype()} is their tree.
 */
public record NodeRecord(Id id, String name, Id root, ObjectNode access, List<String> edges, StoredFields fields, long version) {
    public NodeRecord {
        edges = List.copyOf(edges);
        if (fields == null) fields = StoredFields.of(null);
    }

    public NodeRecord(Id id, String name, Id root, ObjectNode access, List<String> edges, ObjectNode archetype, long version) {
        this(id, name, root, access, edges, StoredFields.of(archetype), version);
    }

    /** The fields as a tree (parsed from the stored text on first need). */
    public ObjectNode archetype() { return fields.tree(); }

    public boolean isRoot() { return name.isEmpty(); }
}
