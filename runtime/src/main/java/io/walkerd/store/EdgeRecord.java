package io.walkerd.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;
import io.walkerd.graph.StoredFields;

/**
 * An edge document as stored: type name, owner root, access, endpoints by ref id, direction, fields (as the store
 * read them; {@link #archetype()} is their tree), version.
 */
public record EdgeRecord(Id id, String name, Id root, ObjectNode access, String source, String target,
                         boolean undirected, StoredFields fields, long version) {
    public EdgeRecord {
        if (fields == null) fields = StoredFields.of(null);
    }

    public EdgeRecord(Id id, String name, Id root, ObjectNode access, String source, String target,
                      boolean undirected, ObjectNode archetype, long version) {
        this(id, name, root, access, source, target, undirected, StoredFields.of(archetype), version);
    }

    /** The fields as a tree (parsed from the stored text on first need). */
    public ObjectNode archetype() { return fields.tree(); }
}
