package io.walkerd.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;
import io.walkerd.graph.StoredFields;

/**
 * A savable object's document ({@code object} collection): its type name, owner root, access policy in jac-cloud's
 * form, its fields (as the store read them; {@link #archetype()} is their tree), and the version that optimistic
 * commits compare.
 */
public record ObjectRecord(Id id, String name, Id root, ObjectNode access, StoredFields fields, long version) {
    public ObjectRecord {
        if (fields == null) fields = StoredFields.of(null);
    }

    public ObjectRecord(Id id, String name, Id root, ObjectNode access, ObjectNode archetype, long version) {
        this(id, name, root, access, StoredFields.of(archetype), version);
    }

    /** The fields as a tree (parsed from the stored text on first need). */
    public ObjectNode archetype() { return fields.tree(); }
}
