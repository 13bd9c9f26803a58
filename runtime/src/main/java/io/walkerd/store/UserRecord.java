package io.walkerd.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;

/**
 * A user document: the lower-cased email (unique), the password hash, the user's root, flags, the token version
 * (bumped to revoke every token issued before) and the extra fields given at registration.
 */
public record UserRecord(Id id, String email, String passwordHash, Id rootId, boolean activated, boolean admin,
                         int tokenVersion, ObjectNode extra) {}
