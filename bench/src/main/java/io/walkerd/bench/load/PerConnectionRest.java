package io.walkerd.bench.load;

import io.netty.buffer.ByteBuf;
import io.walkerd.bench.load.Connector.Endpoint;
import io.walkerd.bench.load.Scenarios.User;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * {@link Scenarios#walkerRest} with a path of each connection's own: connection {@code i} calls {@code path(i)}
 * with user {@code i}'s token (or none), one request at a time, the next sent from the response callback (closed
 * loop). The {@code graph} rows use it for a walker spawned on a node each user owns
 * ({@code /walker/bench_read_node/<id>}), and for their other walkers too so that every row is measured alike.
 * Same generator, counters and window as {@code walkerRest}: a warm-up, then responses counted and timed. One
 * difference: when the window closes it waits (up to {@link #DRAIN}) for the calls still in flight to be answered
 * before closing the connections, so that the next window does not start while the server still works off this
 * one's calls (a closed connection does not stop a walker that is running).
 */
public final class PerConnectionRest {
    private final Loop loop;
    private final Connector connector;
    private final Duration warmup;
    private final Duration measure;
    static final Duration DRAIN = Duration.ofSeconds(15);

    public PerConnectionRest(Loop loop, Duration warmup, Duration measure) {
        this.loop = loop;
        this.connector = new Connector(loop);
        this.warmup = warmup;
        this.measure = measure;
    }

    /** {@code n} keep-alive connections; connection {@code i} posts {@code body} to {@code path.apply(i)} as {@code users.get(i)}. */
    public Result run(Endpoint server, String variant, IntFunction<String> path, String body, int n, List<User> users) {
        Stats stats = new Stats();
        boolean[] running = {true};
        String[] paths = new String[n];
        String[] auth = new String[n];
        boolean[] waiting = new boolean[n];
        for (int i = 0; i < n; i++) {
            paths[i] = path.apply(i);
            auth[i] = users == null ? null : "Bearer " + users.get(i).token();
        }
        HttpConn.Listener listener = new HttpConn.Listener() {
            @Override
            public void response(HttpConn c, int status, ByteBuf content, long sentNanos, long now) {
                waiting[c.index()] = false;
                if (status == 200) stats.delivered(sentNanos, now);
                else stats.error("HTTP " + status + ": " + content.toString(StandardCharsets.UTF_8));
                if (running[0]) send(c);
            }

            @Override
            public void failed(HttpConn c, String why) {
                waiting[c.index()] = false;
                if (running[0]) stats.error(why);
            }

            void send(HttpConn c) {
                waiting[c.index()] = true;
                c.post(paths[c.index()], body, auth[c.index()], System.nanoTime());
            }
        };
        List<HttpConn> conns = connector.http(server, n, listener);
        loop.run(() -> {
            for (HttpConn c : conns) {
                waiting[c.index()] = true;
                c.post(paths[c.index()], body, auth[c.index()], System.nanoTime());
            }
        });
        sleep(warmup);
        loop.run(() -> stats.open(System.nanoTime()));
        sleep(measure);
        Result r = loop.call(() -> {
            stats.close(System.nanoTime());
            running[0] = false;
            return stats.result("walker-rest", variant, n, server.server());
        });
        long drainUntil = System.nanoTime() + DRAIN.toNanos();
        int left;
        while ((left = loop.call(() -> {
            int k = 0;
            for (boolean w : waiting) if (w) k++;
            return k;
        })) > 0 && System.nanoTime() < drainUntil) {
            sleep(Duration.ofMillis(50));
        }
        if (left > 0) r = r.withNote(left + " calls still unanswered " + DRAIN.toSeconds() + " s after the window closed");
        List<io.netty.channel.ChannelFuture> closing = new ArrayList<>();
        loop.run(() -> {
            for (HttpConn c : conns) if (c.isOpen()) closing.add(c.close());
        });
        for (var f : closing) f.awaitUninterruptibly(5, TimeUnit.SECONDS);
        sleep(Duration.ofMillis(200)); // let the server notice the closes before the next run
        return r;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
