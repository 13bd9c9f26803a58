package io.walkerd.websocket;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cross-instance delivery over Redis pub/sub (Lettuce). One Redis channel per topic (user, channel, client),
 * subscribed only while a local connection needs it, so an instance receives what its connections need rather than
 * all the traffic of the cluster. A message is {@code "<instance id> <json>"}; an instance ignores its own echoes
 * because it already delivered them locally.
 *
 * <p>Redis outages: publishing is refused at once while Redis is away (messages to other instances are lost, local
 * delivery goes on), one line is logged when the outage starts and one when it ends. Lettuce reconnects by itself
 * and subscribes again to what it had; subscriptions asked for during the outage are buffered and sent on
 * reconnect. If Redis is away when the server starts, connecting is retried in the background.
 */
final class RedisBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final RedisURI uri;
    private final String prefix;
    private final String instanceId;
    private final ScheduledExecutorService timer;
    private final ClientResources resources;
    private final RedisClient publishing;
    private final RedisClient subscribing;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** Channels a local connection needs, with the completion of their latest SUBSCRIBE. */
    private final Map<String, CompletableFuture<Void>> wanted = new ConcurrentHashMap<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile long downSince;
    private volatile StatefulRedisConnection<String, String> pub;
    private volatile StatefulRedisPubSubConnection<String, String> sub;
    private volatile Receiver receiver;
    private volatile boolean closed;

    RedisBroker(String host, String prefix, String instanceId, ScheduledExecutorService timer) {
        this.uri = RedisURI.create(host.contains("://") ? host : "redis://" + host);
        this.prefix = prefix;
        this.instanceId = instanceId;
        this.timer = timer;
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        // publishing fails fast while disconnected: a message to other instances is worth nothing minutes later
        this.publishing = client(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        // subscription changes made while disconnected are buffered and sent once Redis is back
        this.subscribing = client(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS);
    }

    private RedisClient client(ClientOptions.DisconnectedBehavior behavior) {
        RedisClient c = RedisClient.create(resources, uri);
        c.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(behavior)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
                .build());
        c.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) { recovered(); }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (!closed) outage("connection lost");
            }
        });
        return c;
    }

    @Override
    public void start(Receiver receiver) {
        this.receiver = receiver;
        connect();
    }

    private void connect() {
        if (closed) return;
        try {
            if (sub == null) {
                StatefulRedisPubSubConnection<String, String> s = subscribing.connectPubSub();
                s.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) { onMessage(channel, message); }
                });
                sub = s;
                String[] channels = wanted.keySet().toArray(String[]::new);
                if (channels.length > 0) s.async().subscribe(channels);
            }
            if (pub == null) pub = publishing.connect();
            log.info("websocket broker of {}: Redis {} (channels {}*)", instanceId, uri.getHost() + ":" + uri.getPort(), prefix);
        } catch (RuntimeException e) {
            outage("cannot connect: " + e.getMessage());
            try {
                timer.schedule(this::connect, RETRY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                // the server is stopping
            }
        }
    }

    @Override
    public void publish(Topic topic, String json) {
        StatefulRedisConnection<String, String> p = pub;
        if (p == null) {
            outage("not connected");
            return;
        }
        try {
            p.async().publish(topic.redisChannel(prefix), instanceId + " " + json).whenComplete((receivers, error) -> {
                if (error != null) outage(error.getMessage());
            });
        } catch (RuntimeException e) {
            outage(e.getMessage());
        }
    }

    @Override
    public void subscribe(Topic topic) {
        String channel = topic.redisChannel(prefix);
        StatefulRedisPubSubConnection<String, String> s = sub;
        if (s == null || down.get()) {
            // connect() or Lettuce's reconnection subscribes it later; nobody can wait for that
            wanted.put(channel, DONE);
            if (s != null) s.async().subscribe(channel);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        wanted.put(channel, done);
        s.async().subscribe(channel).whenComplete((v, error) -> {
            if (error != null) outage("subscribe failed: " + error.getMessage());
            done.complete(null);
        });
    }

    @Override
    public CompletableFuture<Void> subscribed(Topic topic) {
        return wanted.getOrDefault(topic.redisChannel(prefix), DONE);
    }

    @Override
    public void unsubscribe(Topic topic) {
        String channel = topic.redisChannel(prefix);
        wanted.remove(channel);
        StatefulRedisPubSubConnection<String, String> s = sub;
        if (s != null) s.async().unsubscribe(channel);
    }

    private void onMessage(String channel, String message) {
        Topic topic = Topic.fromRedisChannel(prefix, channel);
        int space = message.indexOf(' ');
        if (topic == null || space < 0) {
            log.warn("websocket broker: ignored a malformed message on Redis channel {}", channel);
            return;
        }
        if (message.regionMatches(0, instanceId, 0, space) && space == instanceId.length()) return; // our own echo
        Receiver r = receiver;
        if (r != null) r.received(topic, message.substring(space + 1));
    }

    /** Logs the first failure of an outage; the following ones are the same news. */
    private void outage(String why) {
        if (closed || !down.compareAndSet(false, true)) return;
        downSince = System.nanoTime();
        log.warn("websocket broker of {}: Redis {} unreachable ({}); delivering to local connections only until it is back",
                instanceId, uri.getHost() + ":" + uri.getPort(), why);
    }

    private void recovered() {
        if (!down.compareAndSet(true, false)) return;
        log.info("websocket broker of {}: Redis is back after {} ms; cross-instance delivery resumed",
                instanceId, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince));
    }

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
