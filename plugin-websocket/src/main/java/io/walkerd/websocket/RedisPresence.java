package io.walkerd.websocket;

import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Presence shared by every instance, in Redis: per channel a hash of its connections ({@code <prefix>presence:<ch>},
 * client id → root id) and a sorted set of when each entry expires ({@code <prefix>presence-expiry:<ch>}). Entries
 * live {@code SOCKET_PRESENCE_TTL_SECONDS}; every instance refreshes its own connections' entries three times per
 * time to live, so that an instance that dies without a word drops out of presence by itself, and entries missed
 * while Redis was away come back with the next refresh. Expired entries are removed when presence is read.
 * While Redis is away, presence is what this instance holds.
 */
final class RedisPresence implements Presence {
    private static final Logger log = LoggerFactory.getLogger(RedisPresence.class);

    /** KEYS: hash, expiry set. ARGV: ttl seconds, then client id / root id pairs. */
    private static final RedisScript ADD = new RedisScript("""
            local t = redis.call('TIME')
            local expires = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1]) * 1000
            for i = 2, #ARGV, 2 do
              redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
              redis.call('ZADD', KEYS[2], expires, ARGV[i])
            end
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('EXPIRE', KEYS[2], ARGV[1])
            return {}
            """);

    /** KEYS: hash, expiry set. ARGV: client id. */
    private static final RedisScript REMOVE = new RedisScript("""
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            return {}
            """);

    /** KEYS: hash, expiry set. Returns client id / root id pairs of the live entries. */
    private static final RedisScript LIST = new RedisScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local gone = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
            for _, id in ipairs(gone) do redis.call('HDEL', KEYS[1], id) end
            if #gone > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now) end
            return redis.call('HGETALL', KEYS[1])
            """);

    private final RedisBroker broker;
    private final Hub hub;
    private final String prefix;
    private final long ttlSeconds;
    private final ScheduledFuture<?> refresher;

    RedisPresence(RedisBroker broker, Hub hub, long ttlSeconds) {
        this.broker = broker;
        this.hub = hub;
        this.prefix = broker.prefix();
        this.ttlSeconds = ttlSeconds;
        long every = Math.max(200, TimeUnit.SECONDS.toMillis(ttlSeconds) / 3);
        this.refresher = broker.timer().scheduleAtFixedRate(this::refresh, every, every, TimeUnit.MILLISECONDS);
        broker.onReconnect(this::refresh);
    }

    @Override
    public void joined(Membership m) { add(m.channel, List.of(ClientRef.of(m.client))); }

    @Override
    public void left(Membership m) {
        StatefulRedisConnection<String, String> c = broker.commands();
        if (c == null) return; // its entry expires by itself
        REMOVE.run(c, keys(m.channel), m.client.id()).exceptionally(e -> failed(e, m.channel));
    }

    @Override
    public void userChanged(Client client) {
        for (Membership m : client.memberships()) add(m.channel, List.of(ClientRef.of(client)));
    }

    @Override
    public CompletableFuture<List<ClientRef>> members(String channel) {
        StatefulRedisConnection<String, String> c = broker.commands();
        if (c == null) return CompletableFuture.completedFuture(Presence.local(hub, channel));
        return LIST.run(c, keys(channel)).thenApply(reply -> {
            Map<String, ClientRef> all = new LinkedHashMap<>();
            for (int i = 0; i + 1 < reply.size(); i += 2) {
                String id = String.valueOf(reply.get(i));
                all.put(id, new ClientRef(id, String.valueOf(reply.get(i + 1))));
            }
            // this instance's own connections, whether or not their entries reached Redis yet
            for (ClientRef r : Presence.local(hub, channel)) all.put(r.clientId(), r);
            return (List<ClientRef>) new ArrayList<>(all.values());
        }).exceptionally(e -> {
            failed(e, channel);
            return Presence.local(hub, channel);
        });
    }

    /** Writes every local connection's entries again, with a fresh expiry. */
    private void refresh() {
        try {
            for (String channel : hub.channelIds()) {
                List<ClientRef> here = Presence.local(hub, channel);
                if (!here.isEmpty()) add(channel, here);
            }
        } catch (RuntimeException e) {
            log.error("presence refresh failed", e); // a thrown exception would cancel every later refresh
        }
    }

    private void add(String channel, List<ClientRef> who) {
        StatefulRedisConnection<String, String> c = broker.commands();
        if (c == null) return; // the refresh after the outage adds it
        String[] args = new String[1 + 2 * who.size()];
        args[0] = String.valueOf(ttlSeconds);
        int i = 1;
        for (ClientRef r : who) {
            args[i++] = r.clientId();
            args[i++] = r.rootId();
        }
        ADD.run(c, keys(channel), args).exceptionally(e -> failed(e, channel));
    }

    /** As {@link RedisHistory}: an error answered by Redis is logged, not taken for an outage. */
    private List<Object> failed(Throwable e, String channel) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof io.lettuce.core.RedisCommandExecutionException) {
            log.error("presence of channel {}: Redis refused a command: {}", channel, cause.getMessage());
        } else {
            broker.failed("presence of channel " + channel + ": " + cause.getMessage());
        }
        return null;
    }

    private String[] keys(String channel) {
        return new String[]{prefix + "presence:" + channel, prefix + "presence-expiry:" + channel};
    }

    @Override
    public void close() { refresher.cancel(false); }
}
