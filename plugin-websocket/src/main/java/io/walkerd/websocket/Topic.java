package io.walkerd.websocket;

import io.walkerd.graph.RefId;

/**
 * Where a message goes: every connection of a user (by root ref id), of a channel, or one client. A topic is
 * also the unit of Redis subscription: one Redis channel per topic.
 */
record Topic(Kind kind, String id) {

    enum Kind {
        USER("user"), CHANNEL("channel"), CLIENT("client");

        final String label;

        Kind(String label) { this.label = label; }
    }

    static Topic user(String rootRef) { return new Topic(Kind.USER, normaliseRoot(rootRef)); }

    static Topic channel(String id) { return new Topic(Kind.CHANNEL, id); }

    static Topic client(String id) { return new Topic(Kind.CLIENT, id); }

    /**
     * {@code n::<hex>} for a root given as {@code n::<hex>} or bare hex; any other text is kept as it is (it then
     * names no user, like an unknown root).
     */
    static String normaliseRoot(String text) {
        RefId ref = RefId.parse(text);
        return ref != null && ref.isRoot() ? RefId.root(ref.id()) : text;
    }

    /** The Redis channel of this topic, e.g. {@code walkerd:ws:user:n::672b...}. */
    String redisChannel(String prefix) { return prefix + kind.label + ":" + id; }

    /** The topic of a Redis channel name, or null when the name is not one of ours. */
    static Topic fromRedisChannel(String prefix, String channel) {
        if (!channel.startsWith(prefix)) return null;
        String rest = channel.substring(prefix.length());
        int colon = rest.indexOf(':');
        if (colon < 0) return null;
        String label = rest.substring(0, colon);
        String id = rest.substring(colon + 1);
        for (Kind k : Kind.values()) if (k.label.equals(label)) return new Topic(k, id);
        return null;
    }

    @Override
    public String toString() { return kind.label + ":" + id; }
}
