package io.walkerd.websocket;

import io.walkerd.auth.Principal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The connections this instance holds, indexed by client id, by user (root ref id) and by channel (a connection may
 * be in many channels: one {@link Membership} each). Lookups are lock-free. A change takes the connection's own
 * lock (its registration and memberships move one at a time) and, for each index entry it touches, the lock of
 * that entry's stripe, so that an entry and the broker's subscription move together: a topic is subscribed when
 * its first local connection arrives and unsubscribed when its last one leaves. Connections of different users and
 * channels change in parallel (one hub-wide lock serialised a burst of connects). Locks are taken in one order,
 * connection then stripe, and never two stripes at once. Listeners hear of every channel a connection enters or
 * leaves, after the change and outside the locks.
 */
final class Hub {
    /** Told when a connection enters or leaves a channel, however it happens (connect, join, leave, disconnect). */
    interface MembershipListener {
        void joined(Membership m);

        void left(Membership m);
    }

    private static final int STRIPES = 64;
    private final Object[] stripes = new Object[STRIPES];
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Set<Client>> users = new ConcurrentHashMap<>();
    private final Map<String, Map<Client, Membership>> channels = new ConcurrentHashMap<>();
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private final Broker broker;

    Hub(Broker broker) {
        this.broker = broker;
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Object();
    }

    /** The lock of an index entry. */
    private Object stripe(String key) {
        int h = key.hashCode();
        return stripes[(h ^ (h >>> 16)) & (STRIPES - 1)];
    }

    void listen(MembershipListener l) { listeners.add(l); }

    /** Adds a connection to every index, in the channel it connected to; does nothing if it already ended. */
    void add(Client c) {
        Membership first;
        synchronized (c) {
            if (c.isGone() || c.registered()) return;
            synchronized (stripe(c.id())) {
                clients.put(c.id(), c);
                broker.subscribe(Topic.client(c.id()));
            }
            join(users, Topic.user(c.rootRef()), c);
            first = enter(c, c.channel(), true);
            c.registered(true);
        }
        if (first != null) for (MembershipListener l : listeners) l.joined(first);
    }

    /** Removes a connection from every index; idempotent. */
    void remove(Client c) {
        List<Membership> left = new ArrayList<>();
        synchronized (c) {
            if (!c.registered()) return;
            c.registered(false);
            synchronized (stripe(c.id())) {
                if (clients.remove(c.id(), c)) broker.unsubscribe(Topic.client(c.id()));
            }
            leave(users, Topic.user(c.rootRef()), c);
            for (Membership m : new ArrayList<>(c.memberships())) {
                if (exit(c, m.channel) != null) left.add(m);
            }
        }
        for (Membership m : left) for (MembershipListener l : listeners) l.left(m);
    }

    /**
     * Puts a registered connection in a channel, holding its messages until {@link Membership#resume} unless
     * {@code live}; null when it is already in the channel or has ended.
     */
    Membership join(Client c, String channel, boolean live) {
        Membership m;
        synchronized (c) {
            if (!c.registered() || c.membership(channel) != null) return null;
            m = enter(c, channel, live);
        }
        for (MembershipListener l : listeners) l.joined(m);
        return m;
    }

    /** Takes a connection out of a channel; false when it was not in it. */
    boolean leave(Client c, String channel) {
        Membership m;
        synchronized (c) {
            m = exit(c, channel);
        }
        if (m == null) return false;
        for (MembershipListener l : listeners) l.left(m);
        return true;
    }

    /** The channels this instance's connections are in. */
    Collection<String> channelIds() { return channels.keySet(); }

    /** The local connections in a channel, with their memberships. */
    Collection<Membership> members(String channel) {
        Map<Client, Membership> m = channels.get(channel);
        return m == null ? List.of() : m.values();
    }

    /** Moves a connection to another user ({@code change_user}). */
    void changeUser(Client c, Principal to) {
        synchronized (c) {
            if (!c.registered()) {
                c.principal(to);
                return;
            }
            leave(users, Topic.user(c.rootRef()), c);
            c.principal(to);
            join(users, Topic.user(c.rootRef()), c);
        }
    }

    /** The local connections a topic reaches. */
    Collection<Client> local(Topic topic) {
        return switch (topic.kind()) {
            case USER -> users.getOrDefault(topic.id(), Set.of());
            case CHANNEL -> {
                Map<Client, Membership> m = channels.get(topic.id());
                yield m == null ? List.of() : m.keySet();
            }
            case CLIENT -> {
                Client c = clients.get(topic.id());
                yield c == null ? List.of() : List.of(c);
            }
        };
    }

    Collection<Client> all() { return clients.values(); }

    /** The index sizes, for tests and diagnostics (exact once changes have stopped). */
    Counts counts() {
        return new Counts(clients.size(), users.size(), channels.size(),
                users.values().stream().mapToInt(Set::size).sum(), channels.values().stream().mapToInt(Map::size).sum());
    }

    /**
     * @param clients        connections by client id
     * @param users          users with at least one connection
     * @param channels       channels with at least one connection
     * @param userEntries    connections listed under a user
     * @param channelEntries memberships: connections listed under a channel
     */
    record Counts(int clients, int users, int channels, int userEntries, int channelEntries) {
        boolean empty() { return clients + users + channels + userEntries + channelEntries == 0; }
    }

    // the four below run under the connection's lock and take the stripe of the entry they change

    private void join(Map<String, Set<Client>> index, Topic topic, Client c) {
        synchronized (stripe(topic.id())) {
            Set<Client> members = index.get(topic.id());
            if (members == null) {
                members = ConcurrentHashMap.newKeySet();
                index.put(topic.id(), members);
                broker.subscribe(topic);
            }
            members.add(c);
        }
    }

    private Membership enter(Client c, String channel, boolean live) {
        Membership m = new Membership(c, channel, live);
        synchronized (stripe(channel)) {
            Map<Client, Membership> members = channels.get(channel);
            if (members == null) {
                members = new ConcurrentHashMap<>();
                channels.put(channel, members);
                broker.subscribe(Topic.channel(channel));
            }
            members.put(c, m);
        }
        c.membershipIndex().put(channel, m);
        return m;
    }

    private Membership exit(Client c, String channel) {
        Membership m = c.membershipIndex().remove(channel);
        if (m == null) return null;
        synchronized (stripe(channel)) {
            Map<Client, Membership> members = channels.get(channel);
            if (members != null) {
                members.remove(c);
                if (members.isEmpty()) {
                    channels.remove(channel);
                    broker.unsubscribe(Topic.channel(channel));
                }
            }
        }
        return m;
    }

    private void leave(Map<String, Set<Client>> index, Topic topic, Client c) {
        synchronized (stripe(topic.id())) {
            Set<Client> members = index.get(topic.id());
            if (members == null) return;
            members.remove(c);
            if (members.isEmpty()) {
                index.remove(topic.id());
                broker.unsubscribe(topic);
            }
        }
    }
}
