package io.walkerd.auth;

import io.walkerd.graph.RefId;
import io.walkerd.graph.Id;

/** Who is calling: a registered user with a root, or the public user on the shared public root. */
public record Principal(String userId, String email, Id rootId) {
    public static final Principal PUBLIC = new Principal(null, null, RefId.PUBLIC_ROOT);

    public boolean isPublic() { return userId == null; }

    public String rootRef() { return RefId.root(rootId); }
}
