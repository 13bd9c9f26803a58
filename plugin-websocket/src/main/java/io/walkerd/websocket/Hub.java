package io.walkerd.websocket;

import io.walkerd.auth.Principal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections this instance holds, indexed by client id, by user (root ref id) and by channel. Lookups are
 * lock-free; changes take one lock so that the indexes and the broker's subscriptions move together: a topic is
 * subscribed when its first local connection arrives and unsubscribed when its last one leaves.
 */
final class Hub {
    private final Object lock = new Object();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Set<Client>> users = new ConcurrentHashMap<>();
    private final Map<String, Set<Client>> channels = new ConcurrentHashMap<>();
    private final Broker broker;

    Hub(Broker broker) { this.broker = broker; }

    /** Adds a connection to every index; does nothing if it already ended. */
    void add(Client c) {
        synchronized (lock) {
            if (c.isGone() || c.registered()) return;
            clients.put(c.id(), c);
            broker.subscribe(Topic.client(c.id()));
            join(users, Topic.user(c.rootRef()), c);
            join(channels, Topic.channel(c.channel()), c);
            c.registered(true);
        }
    }

    /** Removes a connection from every index; idempotent. */
    void remove(Client c) {
        synchronized (lock) {
            if (!c.registered()) return;
            c.registered(false);
            if (clients.remove(c.id(), c)) broker.unsubscribe(Topic.client(c.id()));
            leave(users, Topic.user(c.rootRef()), c);
            leave(channels, Topic.channel(c.channel()), c);
        }
    }

    /** Moves a connection to another user ({@code change_user}). */
    void changeUser(Client c, Principal to) {
        synchronized (lock) {
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
            case CHANNEL -> channels.getOrDefault(topic.id(), Set.of());
            case CLIENT -> {
                Client c = clients.get(topic.id());
                yield c == null ? List.of() : List.of(c);
            }
        };
    }

    Collection<Client> all() { return clients.values(); }

    /** A snapshot of the index sizes, for tests and diagnostics. */
    Counts counts() {
        synchronized (lock) {
            return new Counts(clients.size(), users.size(), channels.size(),
                    users.values().stream().mapToInt(Set::size).sum(), channels.values().stream().mapToInt(Set::size).sum());
        }
    }

    /**
     * @param clients        connections by client id
     * @param users          users with at least one connection
     * @param channels       channels with at least one connection
     * @param userEntries    connections listed under a user
     * @param channelEntries connections listed under a channel
     */
    record Counts(int clients, int users, int channels, int userEntries, int channelEntries) {
        boolean empty() { return clients + users + channels + userEntries + channelEntries == 0; }
    }

    private void join(Map<String, Set<Client>> index, Topic topic, Client c) {
        Set<Client> members = index.get(topic.id());
        if (members == null) {
            members = ConcurrentHashMap.newKeySet();
            index.put(topic.id(), members);
            broker.subscribe(topic);
        }
        members.add(c);
    }

    private void leave(Map<String, Set<Client>> index, Topic topic, Client c) {
        Set<Client> members = index.get(topic.id());
        if (members == null) return;
        members.remove(c);
        if (members.isEmpty()) {
            index.remove(topic.id());
            broker.unsubscribe(topic);
        }
    }
}
