package io.walkerd.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;

import java.util.List;

/**
 * A node document as stored (protocol.md section 4): its type name ({@code ""} for a root), owner root, access
 * policy in jac-cloud's form ({@code {"all": "NO_ACCESS", "roots": {"anchors": {...}}}}), the ref ids of every edge
 * touching it, its fields, and the version that optimistic commits compare.
 */
public record NodeRecord(Id id, String name, Id root, ObjectNode access, List<String> edges, ObjectNode archetype, long version) {
    public NodeRecord {
        edges = List.copyOf(edges);
    }

    public boolean isRoot() { return name.isEmpty(); }
}
