package io.walkerd.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Opens many connections at once, a bounded number of handshakes in flight so that the generator measures a server
 * under load rather than its accept queue. A connection that fails before it is ready is retried twice.
 */
public final class Connector {
    /** Where a server listens and which protocol it speaks; {@code server} is the label of its table rows. */
    public record Endpoint(String server, Wire wire, String host, int port) {
        String base() { return host + ":" + port; }
    }

    /** Path (with query) and Authorization header of the {@code i}-th connection. */
    public record Spec(String path, String authorization) {}

    private static final int IN_FLIGHT = 256;
    private static final int TRIES = 3;
    private final Loop loop;

    public Connector(Loop loop) { this.loop = loop; }

    public List<WsConn> sockets(Endpoint e, int n, IntFunction<Spec> spec, WsConn.Listener listener) {
        CompletableFuture<List<WsConn>> done = new CompletableFuture<>();
        loop.run(() -> new Opening<WsConn>(n, done) {
            @Override
            void connect(int i, int attempt) {
                WsConn conn = new WsConn(i, e.wire(), listener, () -> opened(i, null), why -> failed(i, attempt, why));
                holder[i] = conn;
                open(e, spec.apply(i), conn);
            }
        }.start());
        return await(done, n, e);
    }

    /** Starts the TCP connect and websocket handshake of {@code conn}; on the loop thread. */
    void open(Endpoint e, Spec s, WsConn conn) {
        HttpHeaders headers = new DefaultHttpHeaders();
        if (s.authorization() != null) headers.set("Authorization", s.authorization());
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(URI.create("ws://" + e.base() + s.path()))
                .version(WebSocketVersion.V13)
                .customHeaders(headers)
                .maxFramePayloadLength(1 << 20)
                .handshakeTimeoutMillis(30_000)
                .dropPongFrames(true)
                .build();
        ChannelFuture f = loop.bootstrap().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                // the aggregator joins a message the server sent in fragments (Jetty splits frames over 64 KiB)
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(16 * 1024),
                        new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(1 << 20), conn);
            }
        }).connect(e.host(), e.port());
        f.addListener(r -> { if (!r.isSuccess()) conn.fail(String.valueOf(r.cause())); });
    }

    public List<HttpConn> http(Endpoint e, int n, HttpConn.Listener listener) {
        CompletableFuture<List<HttpConn>> done = new CompletableFuture<>();
        loop.run(() -> new Opening<HttpConn>(n, done) {
            @Override
            void connect(int i, int attempt) {
                HttpConn conn = new HttpConn(i, e.base(), listener);
                holder[i] = conn;
                loop.bootstrap().handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), conn);
                    }
                }).connect(e.host(), e.port()).addListener(r -> {
                    if (r.isSuccess()) opened(i, null);
                    else failed(i, attempt, String.valueOf(r.cause()));
                });
            }
        }.start());
        return await(done, n, e);
    }

    private static <T> List<T> await(CompletableFuture<List<T>> done, int n, Endpoint e) {
        try {
            return done.get(180, TimeUnit.SECONDS);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", x);
        } catch (ExecutionException x) {
            throw new IllegalStateException(x.getCause().getMessage(), x.getCause());
        } catch (TimeoutException x) {
            throw new IllegalStateException("opening " + n + " connections to " + e.server() + " took over 180 s");
        }
    }

    /** The state of one batch of connections; lives on the loop thread. */
    private abstract static class Opening<T> {
        final Object[] holder;
        final int[] attempts;
        final int n;
        final CompletableFuture<List<T>> done;
        int next;
        int inFlight;
        int ready;
        int failed;
        String firstFailure;

        Opening(int n, CompletableFuture<List<T>> done) {
            this.n = n;
            this.done = done;
            this.holder = new Object[n];
            this.attempts = new int[n];
        }

        abstract void connect(int i, int attempt);

        void start() {
            if (n == 0) done.complete(List.of());
            launch();
        }

        private void launch() {
            while (inFlight < IN_FLIGHT && next < n) {
                inFlight++;
                int i = next++;
                connect(i, 0);
            }
        }

        void opened(int i, Object unused) {
            inFlight--;
            ready++;
            finishOrLaunch();
        }

        void failed(int i, int attempt, String why) {
            if (attempt + 1 < TRIES) {
                connect(i, attempt + 1);
                return;
            }
            inFlight--;
            failed++;
            if (firstFailure == null) firstFailure = why;
            finishOrLaunch();
        }

        @SuppressWarnings("unchecked")
        private void finishOrLaunch() {
            if (ready + failed < n) {
                launch();
                return;
            }
            if (failed > 0) {
                for (Object o : holder) {
                    if (o instanceof WsConn w && w.isOpen()) w.close();
                    if (o instanceof HttpConn h && h.isOpen()) h.close();
                }
                done.completeExceptionally(new IllegalStateException(failed + " of " + n + " connections failed; first: " + firstFailure));
            } else {
                done.complete(new ArrayList<>((List<T>) Arrays.asList(holder)));
            }
        }
    }
}
