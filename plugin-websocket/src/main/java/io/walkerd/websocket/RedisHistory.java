package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Channel histories shared by every instance, in Redis: one stream per channel ({@code <prefix>history:<channel>},
 * an entry per message, id {@code <offset>-0}, trimmed to about the history size) and one hash for its epoch and
 * last offset ({@code <prefix>meta:<channel>}). One script numbers a message, appends it to the stream and publishes
 * it on the channel's pub/sub channel, atomically: Redis assigns the offset before any member sees the message, and
 * every instance, this one included, delivers it to its members from its subscription, so all members see one
 * channel's messages in one order.
 *
 * <p>While Redis is away, {@link MemoryHistory} stands in: offsets come from this instance, under epochs of its own,
 * and the channels that got messages meanwhile are marked; their Redis history is dropped (a new epoch) the next
 * time Redis is used for them, because it misses those messages and must never be replayed as complete.
 */
final class RedisHistory implements ChannelHistory {
    private static final Logger log = LoggerFactory.getLogger(RedisHistory.class);
    /** How long a publisher waits for its own message to come back from Redis to its members here. */
    static final long ECHO_WAIT_MS = 2000;

    private static final String ENSURE_EPOCH = """
            if ARGV[1] == '1' then redis.call('DEL', KEYS[1], KEYS[2]) end
            local epoch = redis.call('HGET', KEYS[1], 'epoch')
            if not epoch then
              epoch = ARGV[2]
              redis.call('DEL', KEYS[2])
              redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', 0)
            end
            redis.call('EXPIRE', KEYS[1], ARGV[3])
            """;

    /**
     * KEYS: meta, stream, presence. ARGV: reset, fresh epoch, meta ttl, only-if-watched, pub/sub channel, instance id,
     * seq, header fields, data, size, ttl. Returns {offset, epoch}, or {-1, ''} when skipped (nobody watches).
     */
    private static final RedisScript PUBLISH = new RedisScript("""
            if ARGV[4] == '1' and redis.call('EXISTS', KEYS[1]) == 0 and redis.call('EXISTS', KEYS[3]) == 0 then
              return {-1, ''}
            end
            """ + ENSURE_EPOCH + """
            local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[10], offset .. '-0', 't', now, 'h', ARGV[8], 'd', ARGV[9])
            redis.call('EXPIRE', KEYS[2], ARGV[11])
            redis.call('PUBLISH', ARGV[5], ARGV[6] .. ' {"o":' .. offset .. ',"e":"' .. epoch .. '","i":' .. ARGV[7] .. ',' .. ARGV[8] .. '}\\n' .. ARGV[9])
            return {offset, epoch}
            """);

    /**
     * KEYS: meta, stream. ARGV: reset, fresh epoch, meta ttl, after (-1: the latest), count.
     * Returns {top, epoch, now ms, id, t, h, d, id, t, h, d, ...} (the latest: newest first).
     */
    private static final RedisScript READ = new RedisScript(ENSURE_EPOCH + """
            local top = tonumber(redis.call('HGET', KEYS[1], 'offset'))
            local t = redis.call('TIME')
            local out = {top, epoch, tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)}
            local after = tonumber(ARGV[4])
            local entries = {}
            -- COUNT 0 answers nil on an existing stream: only ask for entries when some are wanted
            if tonumber(ARGV[5]) > 0 then
              if after < 0 then
                entries = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', ARGV[5])
              else
                entries = redis.call('XRANGE', KEYS[2], (after + 1) .. '-0', '+', 'COUNT', ARGV[5])
              end
            end
            for _, e in ipairs(entries) do
              local f = {}
              for i = 1, #e[2], 2 do f[e[2][i]] = e[2][i + 1] end
              table.insert(out, e[1])
              table.insert(out, f['t'] or '0')
              table.insert(out, f['h'] or '"k":"m"')
              table.insert(out, f['d'] or 'null')
            end
            return out
            """);

    private final RedisBroker broker;
    private final String prefix;
    private final int size;
    private final long ttlMillis;
    private final long metaTtlSeconds;
    private final MemoryHistory fallback;
    private final SocketMetrics metrics;
    private final ObjectMapper headers = new ObjectMapper();
    private final AtomicLong seqs = new AtomicLong();
    private final Map<Long, CompletableFuture<Void>> awaited = new ConcurrentHashMap<>();
    /** Channels that got messages while Redis was away: their Redis history is dropped before it is used again. */
    private final Set<String> stale = ConcurrentHashMap.newKeySet();

    RedisHistory(RedisBroker broker, int size, long ttlMillis, long metaTtlMillis, MemoryHistory fallback, SocketMetrics metrics) {
        this.broker = broker;
        this.prefix = broker.prefix();
        this.size = size;
        this.ttlMillis = ttlMillis;
        this.metaTtlSeconds = Math.max(1, TimeUnit.MILLISECONDS.toSeconds(metaTtlMillis));
        this.fallback = fallback;
        this.metrics = metrics;
        broker.onReconnect(this::reconnected);
    }

    @Override
    public void start(Function<Delivery, CompletableFuture<Void>> local) {
        fallback.start(local);
    }

    @Override
    public CompletableFuture<Void> publish(Delivery message, boolean onlyIfWatched, boolean here) {
        String channel = message.topic().id();
        StatefulRedisConnection<String, String> c = broker.commands();
        if (c == null) return locally(message, onlyIfWatched, here);
        long seq = seqs.incrementAndGet();
        CompletableFuture<Void> delivered = new CompletableFuture<>();
        if (here) {
            awaited.put(seq, delivered);
            delivered.completeOnTimeout(null, ECHO_WAIT_MS, TimeUnit.MILLISECONDS).whenComplete((v, e) -> awaited.remove(seq));
        }
        boolean reset = stale.contains(channel);
        String[] keys = {meta(channel), stream(channel), prefix + "presence:" + channel};
        long started = metrics.publishing();
        PUBLISH.run(c, keys, flag(reset), ChannelHistory.newEpoch(), String.valueOf(metaTtlSeconds), flag(onlyIfWatched),
                        message.topic().redisChannel(prefix), broker.instanceId(), String.valueOf(seq), message.wireFields(),
                        message.data(), String.valueOf(size), String.valueOf(Math.max(1, ttlMillis / 1000)))
                .whenComplete((reply, error) -> {
                    metrics.publishDone(started, error != null);
                    if (error != null) {
                        awaited.remove(seq);
                        failed(channel, error);
                        locally(message, onlyIfWatched, here).whenComplete((v, e) -> delivered.complete(null));
                        return;
                    }
                    broker.worked();
                    if (reset) stale.remove(channel);
                    if (!here || RedisScript.number(reply.get(0)) < 0) delivered.complete(null); // nobody here waits
                });
        return here ? delivered : CompletableFuture.completedFuture(null);
    }

    /** A message of ours came back from Redis and reached our members: its publisher may go on. */
    @Override
    public void delivered(Delivery d) {
        if (d.seq() < 0) return;
        CompletableFuture<Void> f = awaited.remove(d.seq());
        if (f != null) f.complete(null);
    }

    @Override
    public CompletableFuture<Position> position(String channel) {
        return read(channel, -1, 0, p -> p, () -> fallback.position(channel).thenApply(p -> new Page(p, true, List.of())))
                .thenApply(Page::top);
    }

    @Override
    public CompletableFuture<Page> since(String channel, Position since, int limit) {
        if (since == null) return read(channel, -1, limit, p -> p, () -> fallback.since(channel, null, limit));
        return read(channel, since.offset(), limit, p -> covered(p, since), () -> fallback.since(channel, since, limit));
    }

    /** The page, if it continues {@code since} without a gap; else not recovered and empty. */
    private static Page covered(Page p, Position since) {
        Position top = p.top();
        if (!top.epoch().equals(since.epoch()) || since.offset() > top.offset()) return new Page(top, false, List.of());
        if (since.offset() == top.offset()) return new Page(top, true, List.of());
        List<Delivery> m = p.messages();
        if (m.isEmpty() || m.get(0).offset() != since.offset() + 1) return new Page(top, false, List.of());
        return p;
    }

    /**
     * Reads the history after {@code after} (or the latest, -1) from Redis, within the size and age the history
     * keeps; from the stand-in while Redis is away.
     */
    private CompletableFuture<Page> read(String channel, long after, int limit, Function<Page, Page> then,
                                         Supplier<CompletableFuture<Page>> otherwise) {
        StatefulRedisConnection<String, String> c = broker.commands();
        if (c == null) return otherwise.get();
        boolean reset = stale.contains(channel);
        return READ.run(c, new String[]{meta(channel), stream(channel)}, flag(reset), ChannelHistory.newEpoch(),
                        String.valueOf(metaTtlSeconds), String.valueOf(after), String.valueOf(limit))
                .thenApply(reply -> {
                    broker.worked();
                    if (reset) stale.remove(channel);
                    return then.apply(page(channel, reply, after < 0));
                })
                .exceptionallyCompose(error -> {
                    failed(channel, error);
                    return otherwise.get();
                });
    }

    /**
     * A command that did not work. Redis answering with an error is a bug (ours, or data that is not ours under our
     * prefix), not an outage: it is logged and this one call is served from this instance; anything else (no
     * connection, a timeout) is an outage.
     */
    private void failed(String channel, Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof RedisCommandExecutionException) {
            log.error("history of channel {}: Redis refused a command: {}", channel, cause.getMessage());
        } else {
            broker.failed("history of channel " + channel + ": " + cause.getMessage());
        }
    }

    private Page page(String channel, List<Object> reply, boolean newestFirst) {
        long top = RedisScript.number(reply.get(0));
        String epoch = String.valueOf(reply.get(1));
        long now = RedisScript.number(reply.get(2));
        Topic topic = Topic.channel(channel);
        List<Delivery> messages = new ArrayList<>();
        for (int i = 3; i + 3 < reply.size(); i += 4) {
            String id = String.valueOf(reply.get(i));
            long offset = Long.parseLong(id.substring(0, id.indexOf('-')));
            long at = RedisScript.number(reply.get(i + 1));
            // the stream is trimmed loosely (whole nodes at a time): keep to the size and the age the history promises
            if (offset <= top - size || offset > top || now - at > ttlMillis) continue;
            Delivery d = decode(topic, String.valueOf(reply.get(i + 2)), String.valueOf(reply.get(i + 3)));
            if (d != null) messages.add(d.at(offset, epoch));
        }
        if (newestFirst) Collections.reverse(messages);
        return new Page(new Position(top, epoch), true, messages);
    }

    private Delivery decode(Topic topic, String fields, String data) {
        try {
            JsonNode header = headers.readTree("{" + fields + "}");
            return Delivery.fromWire(topic, header, data);
        } catch (Exception e) {
            log.warn("history of channel {}: an entry with a malformed header was skipped", topic.id());
            return null;
        }
    }

    private CompletableFuture<Void> locally(Delivery message, boolean onlyIfWatched, boolean here) {
        stale.add(message.topic().id());
        return fallback.publish(message, onlyIfWatched, here);
    }

    /**
     * Redis is back: what this instance numbered meanwhile is not in Redis, so those channels' Redis histories are
     * dropped at once (and, should that fail, before this instance next uses them); the stand-in histories are
     * forgotten, their epochs end here.
     */
    private void reconnected() {
        fallback.forgetAll();
        if (stale.isEmpty()) return;
        log.info("history: {} channels got messages while Redis was away; their histories start new epochs", stale.size());
        dropStale(20);
    }

    /** Drops the Redis histories of the stale channels, once the publishing connection is back (tried a few times). */
    private void dropStale(int attempts) {
        StatefulRedisConnection<String, String> c = broker.commands();
        if (c == null) {
            if (attempts > 0) broker.timer().schedule(() -> dropStale(attempts - 1), 100, TimeUnit.MILLISECONDS);
            return;
        }
        for (String channel : List.copyOf(stale)) {
            c.async().del(meta(channel), stream(channel)).whenComplete((n, error) -> {
                if (error == null) stale.remove(channel);
            });
        }
    }

    private String meta(String channel) { return prefix + "meta:" + channel; }

    private String stream(String channel) { return prefix + "history:" + channel; }

    private static String flag(boolean b) { return b ? "1" : "0"; }
}
