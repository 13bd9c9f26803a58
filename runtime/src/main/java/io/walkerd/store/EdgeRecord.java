package io.walkerd.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;

/** An edge document as stored: type name, owner root, access, endpoints by ref id, direction, fields, version. */
public record EdgeRecord(Id id, String name, Id root, ObjectNode access, String source, String target,
                         boolean undirected, ObjectNode archetype, long version) {}
