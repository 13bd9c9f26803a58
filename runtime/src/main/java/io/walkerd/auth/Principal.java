package io.walkerd.auth;

import io.walkerd.graph.RefId;
import io.walkerd.graph.Id;

/**
 * Who is calling: a registered user with a root, the public user on the shared public root, or a root acting
 * without a user at hand (a task, a webhook key, the super root of scheduled walkers): then {@code userId} and
 * {@code email} are null.
 */
public record Principal(String userId, String email, Id rootId) {
    public static final Principal PUBLIC = new Principal(null, null, RefId.PUBLIC_ROOT);
    /** The super root: what scheduled walkers run as; it may read and write everything. */
    public static final Principal SUPER = new Principal(null, null, RefId.SUPER_ROOT);

    /** The owner of {@code root}, known by its root alone. */
    public static Principal ofRoot(Id root) {
        return RefId.PUBLIC_ROOT.equals(root) ? PUBLIC : new Principal(null, null, root);
    }

    public boolean isPublic() { return RefId.PUBLIC_ROOT.equals(rootId); }

    public boolean isSuper() { return RefId.SUPER_ROOT.equals(rootId); }

    public String rootRef() { return RefId.root(rootId); }
}
