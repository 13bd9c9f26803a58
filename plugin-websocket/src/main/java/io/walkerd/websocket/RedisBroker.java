package io.walkerd.websocket;

import io.walkerd.server.LogSafe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cross-instance delivery over Redis pub/sub (Lettuce). One Redis channel per topic (user, channel, client),
 * subscribed only while a local connection needs it, so that an instance receives what its own connections need
 * rather than all the traffic of the cluster. A message is {@code "<instance id> <header>\n<data>"} (the header says
 * who sent it and, for a channel with history, its offset and epoch: {@link Delivery#wireHeader}); an instance
 * ignores its own echoes because it already delivered them locally, except for channel messages numbered by Redis
 * ({@link RedisHistory}), which every instance, the publisher's included, delivers from here.
 *
 * <p>Two connections: one for PUBLISH, which fails at once while Redis is away (a message for other instances is
 * worth nothing minutes later, and must not pile up in memory), and one for SUBSCRIBE, whose commands made while
 * Redis is away are kept and sent on reconnect. Lettuce reconnects both by itself and subscribes again to the
 * channels it had. One line is logged when an outage starts and one when it ends. If Redis is away when the server
 * starts, connecting is retried in the background; nothing here ever blocks a caller.
 */
final class RedisBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final RedisURI uri;
    private final String where;
    private final String prefix;
    private final String instanceId;
    private final ScheduledExecutorService timer;
    private final SocketMetrics metrics;
    private final ClientResources resources;
    private final RedisClient publishing;
    private final RedisClient subscribing;
    /** Channels a local connection needs, each with the completion of its latest SUBSCRIBE. */
    private final Map<String, CompletableFuture<Void>> wanted = new ConcurrentHashMap<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile long downSince;
    private volatile StatefulRedisConnection<String, String> pub;
    private volatile StatefulRedisPubSubConnection<String, String> sub;
    private volatile Receiver receiver;
    private volatile boolean closed;
    private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
    /** Reads message headers; the broker's own, configuration belongs to an instance. */
    private final ObjectMapper headers = new ObjectMapper();

    RedisBroker(String host, String prefix, String instanceId, ScheduledExecutorService timer, SocketMetrics metrics) {
        this.uri = RedisURI.create(host.contains("://") ? host : "redis://" + host);
        this.where = uri.getHost() + ":" + uri.getPort();
        this.prefix = prefix;
        this.instanceId = instanceId;
        this.timer = timer;
        this.metrics = metrics;
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        this.publishing = client(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        this.subscribing = client(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS);
    }

    private RedisClient client(ClientOptions.DisconnectedBehavior whileDisconnected) {
        RedisClient c = RedisClient.create(resources, uri);
        c.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(whileDisconnected)
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(5)).build())
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
                .build());
        c.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) { recovered(); }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) { outage("connection lost"); }
        });
        return c;
    }

    @Override
    public void start(Receiver receiver) {
        this.receiver = receiver;
        connect();
    }

    /** Opens whichever connection is missing; on failure, tries again later. */
    private void connect() {
        if (closed) return;
        CompletableFuture<?> subscriber = sub != null ? CompletableFuture.completedFuture(sub)
                : subscribing.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture().thenAccept(this::attach);
        subscriber
                .thenCompose(x -> pub != null ? CompletableFuture.completedFuture(pub)
                        : publishing.connectAsync(StringCodec.UTF8, uri).toCompletableFuture())
                .whenComplete((p, error) -> {
                    if (error == null) {
                        pub = p;
                        if (closed) p.closeAsync();
                        else log.info("websocket broker of {}: Redis {} (channels {}*)", instanceId, where, prefix);
                        return;
                    }
                    outage("cannot connect: " + (error instanceof CompletionException && error.getCause() != null ? error.getCause() : error).getMessage());
                    try {
                        timer.schedule(this::connect, RETRY.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException stopping) {
                        // the server is stopping: no more attempts
                    }
                });
    }

    private void attach(StatefulRedisPubSubConnection<String, String> s) {
        s.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) { onMessage(channel, message); }
        });
        sub = s;
        if (closed) {
            s.closeAsync();
            return;
        }
        // what local connections asked for before we were connected
        String[] channels = wanted.keySet().toArray(String[]::new);
        if (channels.length == 0) return;
        s.async().subscribe(channels).whenComplete((v, error) -> {
            for (String ch : channels) {
                CompletableFuture<Void> f = wanted.get(ch);
                if (f != null) f.complete(null);
            }
        });
    }

    @Override
    public void publish(Topic topic, Delivery message) {
        StatefulRedisConnection<String, String> p = pub;
        if (p == null) {
            metrics.publishImpossible();
            outage("not connected");
            return;
        }
        long started = metrics.publishing();
        try {
            String payload = instanceId + " " + message.wireHeader() + "\n" + message.data();
            p.async().publish(topic.redisChannel(prefix), payload).whenComplete((receivers, error) -> {
                metrics.publishDone(started, error != null);
                if (error != null) outage(error.getMessage());
            });
        } catch (RuntimeException e) {
            metrics.publishDone(started, true);
            outage(e.getMessage());
        }
    }

    @Override
    public void subscribe(Topic topic) {
        String channel = topic.redisChannel(prefix);
        StatefulRedisPubSubConnection<String, String> s = sub;
        if (down.get()) {
            // sent when Lettuce (or connect()) is back; a connection must not wait for an outage to end
            wanted.put(channel, CompletableFuture.completedFuture(null));
            if (s != null) s.async().subscribe(channel);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        wanted.put(channel, done);
        if (s == null) return; // attach() subscribes it
        s.async().subscribe(channel).whenComplete((v, error) -> {
            if (error != null) outage("subscribe failed: " + error.getMessage());
            done.complete(null);
        });
    }

    @Override
    public CompletableFuture<Void> subscribed(Topic topic) {
        CompletableFuture<Void> f = wanted.get(topic.redisChannel(prefix));
        return f == null ? CompletableFuture.completedFuture(null) : f;
    }

    @Override
    public void unsubscribe(Topic topic) {
        String channel = topic.redisChannel(prefix);
        CompletableFuture<Void> f = wanted.remove(channel);
        if (f != null) f.complete(null);
        StatefulRedisPubSubConnection<String, String> s = sub;
        if (s != null) s.async().unsubscribe(channel);
    }

    private void onMessage(String channel, String message) {
        metrics.receivedFromBroker();
        Topic topic = Topic.fromRedisChannel(prefix, channel);
        int space = message.indexOf(' ');
        int newline = space < 0 ? -1 : message.indexOf('\n', space);
        if (topic == null || newline < 0) {
            log.warn("websocket broker of {}: ignored a malformed message on Redis channel {}", instanceId, LogSafe.of(channel));
            return;
        }
        boolean own = space == instanceId.length() && message.startsWith(instanceId);
        // our own echo was delivered here already, unless Redis numbered it (an offset in the header)
        if (own && !message.startsWith("{\"o\":", space + 1)) return;
        Delivery d;
        try {
            JsonNode header = headers.readTree(message.substring(space + 1, newline));
            d = Delivery.fromWire(topic, header, message.substring(newline + 1));
        } catch (Exception e) {
            d = null;
        }
        if (d == null) {
            log.warn("websocket broker of {}: ignored a message with a malformed header on Redis channel {}", instanceId, channel);
            return;
        }
        if (!own && d.seq() >= 0) d = d.withSeq(-1);
        Receiver r = receiver;
        if (r != null) r.received(topic, d);
    }

    /**
     * The connection that publishes, while it is connected; null during an outage. Its state, not {@link #isDown}:
     * a command that timed out on a live connection logs an outage but must not leave the instance local-only.
     */
    StatefulRedisConnection<String, String> commands() {
        StatefulRedisConnection<String, String> p = pub;
        return p == null || !p.isOpen() ? null : p;
    }

    /** A command of another part (history, presence) worked: if an outage was logged, it is over. */
    void worked() {
        if (down.get()) recovered();
    }

    /** Runs {@code r} each time Redis is reachable again after an outage. */
    void onReconnect(Runnable r) { reconnectListeners.add(r); }

    /** Reports a failed command of another part (history, presence) as an outage, logged once. */
    void failed(String why) { outage(why); }

    String prefix() { return prefix; }

    String instanceId() { return instanceId; }

    ScheduledExecutorService timer() { return timer; }

    /** Logs the first failure of an outage (the following ones are the same news) and releases waiting connections. */
    private void outage(String why) {
        if (closed || !down.compareAndSet(false, true)) return;
        downSince = System.nanoTime();
        log.warn("websocket broker of {}: Redis {} unreachable ({}); delivering to local connections only until it is back",
                instanceId, where, why);
        for (CompletableFuture<Void> f : wanted.values()) f.complete(null);
    }

    private void recovered() {
        if (!down.compareAndSet(true, false)) return;
        log.info("websocket broker of {}: Redis {} is back after {} ms; cross-instance delivery resumed",
                instanceId, where, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince));
        for (Runnable r : reconnectListeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.error("websocket broker of {}: a reconnect step failed", instanceId, e);
            }
        }
    }

    /** Whether Redis is reachable now: connected, and no outage noticed since. */
    boolean connected() { return !down.get() && commands() != null; }

    /** The Redis channels this instance listens to (or will, once Redis is back). */
    int subscriptions() { return wanted.size(); }

    /** {@code host:port} of Redis. */
    String where() { return where; }

    /** True while a local connection needs the topic (for tests and diagnostics). */
    boolean isSubscribed(Topic topic) { return wanted.containsKey(topic.redisChannel(prefix)); }

    /** True while this broker believes Redis is away (for tests and diagnostics). */
    boolean isDown() { return down.get(); }

    @Override
    public void close() {
        closed = true;
        try {
            if (sub != null) sub.close();
            if (pub != null) pub.close();
        } finally {
            publishing.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            subscribing.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
