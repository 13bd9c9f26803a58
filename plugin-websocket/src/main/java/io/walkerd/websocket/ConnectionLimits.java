package io.walkerd.websocket;

import io.walkerd.auth.Principal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code SOCKET_MAX_CONNECTIONS_PER_IP} and {@code SOCKET_MAX_CONNECTIONS_PER_USER}: open sockets of this instance
 * counted by client address and by user (authenticated users only: every public connection is the one public
 * user, which the per-address limit covers). The upgrade is refused (429) when a count is at its limit; a socket
 * takes its slots once upgraded and gives them back when it ends, whatever the reason.
 */
final class ConnectionLimits {
    private final int perAddress;
    private final int perUser;
    private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();
    private final Map<String, Integer> byUser = new ConcurrentHashMap<>();
    /** What each counted socket holds: its address and its user's key (null for the public user). */
    private final Map<Client, Held> held = new ConcurrentHashMap<>();

    private record Held(String address, String user) {}

    /** @param perAddress limit per address, 0 for none; @param perUser limit per user, 0 for none */
    ConnectionLimits(int perAddress, int perUser) {
        this.perAddress = perAddress;
        this.perUser = perUser;
    }

    boolean limitsUsers() { return perUser > 0; }

    /** Why an upgrade from {@code address} as {@code principal} (null: not known yet) must wait, or null when there is room. */
    String fullFor(String address, Principal principal) {
        if (perAddress > 0 && byAddress.getOrDefault(address, 0) >= perAddress) {
            return "too many connections from your address (SOCKET_MAX_CONNECTIONS_PER_IP = " + perAddress + ")";
        }
        String user = userKey(principal);
        if (perUser > 0 && user != null && byUser.getOrDefault(user, 0) >= perUser) {
            return "too many connections of this user (SOCKET_MAX_CONNECTIONS_PER_USER = " + perUser + ")";
        }
        return null;
    }

    /**
     * Takes the new socket's slot for its address (as the public user: {@link #moveUser} counts it for its user once
     * authenticated); false, and nothing taken, when another upgrade took the last one since {@link #fullFor}.
     */
    boolean take(Client c, String address) {
        if (!increment(byAddress, address, perAddress)) return false;
        held.put(c, new Held(address, null));
        return true;
    }

    /**
     * Counts the socket for {@code to} instead of its user so far (once authenticated, and on {@code change_user});
     * false, and nothing moved, when {@code to} is at its limit.
     */
    boolean moveUser(Client c, Principal to) {
        String user = userKey(to);
        boolean[] moved = {true};
        // atomic with release(): a socket that ends meanwhile never keeps a slot
        held.computeIfPresent(c, (k, h) -> {
            if (Objects.equals(user, h.user())) return h;
            if (!increment(byUser, user, perUser)) {
                moved[0] = false;
                return h;
            }
            decrement(byUser, h.user());
            return new Held(h.address(), user);
        });
        return moved[0];
    }

    /** The socket ended: its slots are free again. Idempotent. */
    void release(Client c) {
        Held h = held.remove(c);
        if (h == null) return;
        decrement(byAddress, h.address());
        decrement(byUser, h.user());
    }

    /** Open sockets counted for {@code address} (tests and diagnostics). */
    int fromAddress(String address) { return byAddress.getOrDefault(address, 0); }

    private static String userKey(Principal p) { return p == null || p.isPublic() ? null : p.rootRef(); }

    /** Adds one under {@code key} unless that would pass {@code max}; a null key or no limit counts nothing and passes. */
    private static boolean increment(Map<String, Integer> counts, String key, int max) {
        if (key == null || max == 0) return true;
        boolean[] taken = {false};
        counts.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) return n;
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    private static void decrement(Map<String, Integer> counts, String key) {
        if (key == null) return;
        counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }
}
