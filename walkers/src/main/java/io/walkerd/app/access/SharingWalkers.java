package io.walkerd.app.access;

import io.walkerd.graph.Access;
import io.walkerd.graph.Node;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Required;
import io.walkerd.walker.Specs;
import io.walkerd.walker.Walker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sharing part of your graph with another user. Spawned on your root, a grant covers everything your root owns;
 * spawned on one node (a project), it covers that node, and a grant on a node wins over the root's.
 */
public final class SharingWalkers {
    private SharingWalkers() {}

    /** Why a caller without WRITE on the node (as it was before this call) may not change who shares it. */
    private static Map<String, String> notYours(Node node) {
        return Map.of("error", "You need WRITE access on " + node.id() + " to change who shares it");
    }

    private static Map<String, String> describe(Node node, String rootId, String level) {
        Map<String, String> g = new LinkedHashMap<>();
        g.put("node", node.id());
        g.put("root_id", rootId);
        g.put("level", level);
        return g;
    }

    /**
     * Grants the root {@code root_id} ({@code n::<hex>} or the bare hex of login's {@code user.root_id})
     * {@code level} on the node the walker is spawned on: NO_ACCESS, READ, CONNECT or WRITE (or -1..2).
     */
    @Specs(tags = {"access"}, summary = "Share a node (or your whole root) with another user")
    public static class ShareGraph extends Walker {
        @Required public String root_id;
        public Access level = Access.READ; // a name or -1..2; anything else is a 422 naming the field

        @OnEntry
        void grant(Node here) {
            if (here.access() != Access.WRITE) {
                status(403);
                body(notYours(here));
                return;
            }
            here.allowRoot(root_id, level);
            report(describe(here, root_id, level.name()));
        }
    }

    /** Removes the grant of {@code root_id} on the node the walker is spawned on. */
    @Specs(tags = {"access"}, summary = "Stop sharing a node (or your whole root)")
    public static class UnshareGraph extends Walker {
        @Required public String root_id;

        @OnEntry
        void revoke(Node here) {
            if (here.access() != Access.WRITE) {
                status(403);
                body(notYours(here));
                return;
            }
            here.disallowRoot(root_id);
            report(describe(here, root_id, "revoked"));
        }
    }
}
