package io.walkerd.conformance;

import io.walkerd.conformance.NestedGraph.Nested;
import io.walkerd.graph.Access;
import io.walkerd.graph.Node;
import io.walkerd.graph.Root;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Required;
import io.walkerd.walker.Walker;

/**
 * Sharing a graph with other users: spawned on the root, a grant covers everything the root owns; spawned on a
 * Nested node, only that node.
 */
public final class RootAccess {
    private RootAccess() {}

    /** Grants {@code level} (a name or -1..2) to {@code root_id}, or to every other root when {@code via_all}. */
    public static class AllowOtherRootAccess extends Walker {
        @Required public String root_id;
        public Access level = Access.READ;
        public boolean via_all = false;

        @OnEntry
        void enterRoot(Root here) { allow(here); }

        @OnEntry
        void enterNested(Nested here) { allow(here); }

        private void allow(Node here) {
            if (via_all) here.allowAll(level); else here.allowRoot(root_id, level);
        }
    }

    /** Revokes the grant of {@code root_id}, or what every other root was granted when {@code via_all}. */
    public static class DisallowOtherRootAccess extends Walker {
        @Required public String root_id;
        public boolean via_all = false;

        @OnEntry
        void enterRoot(Root here) { disallow(here); }

        @OnEntry
        void enterNested(Nested here) { disallow(here); }

        private void disallow(Node here) {
            if (via_all) here.disallowAll(); else here.disallowRoot(root_id);
        }
    }
}
