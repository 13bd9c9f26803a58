package io.walkerd.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;

/**
 * A savable object's document ({@code object} collection): its type name, owner root, access policy in jac-cloud's
 * form, its fields, and the version that optimistic commits compare.
 */
public record ObjectRecord(Id id, String name, Id root, ObjectNode access, ObjectNode archetype, long version) {}
