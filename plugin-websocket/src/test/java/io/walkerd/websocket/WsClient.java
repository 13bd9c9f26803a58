package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real websocket client for tests (the JDK's {@link WebSocket}): connects, collects every text message, can stop
 * reading (it then requests no more frames, so the server's writes back up) and reports how the socket ended.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long WAIT_SECONDS = 10;

    /** How the socket ended: a close frame (code, reason) or an error (code -1). */
    record Ending(int code, String reason, Throwable error) {}

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Ending> ended = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean paused;
    private volatile long received;
    private WebSocket socket;
    private JsonNode connection;

    private WsClient() {}

    static WsClient connect(String url) { return connect(url, null); }

    /** Connects (with {@code Authorization: Bearer token} when a token is given) and reads the connection event. */
    static WsClient connect(String url, String token) {
        WsClient c = open(url, token);
        c.connection = c.next();
        assertThat(c.connection.path("type").asText()).as(c.connection.toString()).isEqualTo("connection");
        return c;
    }

    /** Connects with extra upgrade headers ({@code Origin}, {@code X-Forwarded-For}) and reads the connection event. */
    static WsClient connect(String url, String token, Map<String, String> headers) {
        WsClient c = open(url, token, headers);
        c.connection = c.next();
        assertThat(c.connection.path("type").asText()).as(c.connection.toString()).isEqualTo("connection");
        return c;
    }

    /** Connects without reading anything. */
    static WsClient open(String url, String token) { return open(url, token, Map.of()); }

    static WsClient open(String url, String token, Map<String, String> headers) {
        WsClient c = new WsClient();
        c.socket = builder(token, headers).buildAsync(URI.create(url), c).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
        return c;
    }

    /** The HTTP status with which the server refuses this upgrade; fails when the upgrade succeeds. */
    static int refusal(String url, String token, Map<String, String> headers) {
        try {
            WebSocket ws = builder(token, headers).buildAsync(URI.create(url), new WsClient()).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
            ws.abort();
            throw new AssertionError("the upgrade to " + url + " was accepted");
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) return h.getResponse().statusCode();
            throw e;
        }
    }

    private static WebSocket.Builder builder(String token, Map<String, String> headers) {
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (token != null) b.header("Authorization", "Bearer " + token);
        headers.forEach(b::header);
        return b;
    }

    /** The HTTP status with which the server refuses to upgrade {@code url}; fails the test if it accepts. */
    static int refusedUpgrade(String url, String token) {
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (token != null) b.header("Authorization", "Bearer " + token);
        try {
            WebSocket ws = b.buildAsync(URI.create(url), new WsClient()).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
            ws.abort();
            throw new AssertionError("the server accepted " + url);
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) return h.getResponse().statusCode();
            throw e;
        }
    }

    JsonNode connection() { return connection; }

    String clientId() { return connection.path("data").path("client_id").asText(); }

    String rootId() { return connection.path("data").path("root_id").asText(); }

    String channelId() { return connection.path("data").path("channel_id").asText(); }

    void send(Object event) {
        try {
            String text = event instanceof String s ? s : JSON.writeValueAsString(event);
            socket.sendText(text, true).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Sends one text message as several frames (a first frame and continuations), in order. */
    void sendFragments(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            socket.sendText(parts[i], i == parts.length - 1).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
        }
    }

    /** Sends a ping and waits for the pong that answers it; its payload. */
    ByteBuffer ping(byte[] payload) {
        CompletableFuture<ByteBuffer> answer = new CompletableFuture<>();
        pong = answer;
        socket.sendPing(ByteBuffer.wrap(payload)).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
        return answer.orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
    }

    void sendBinary(byte[] data) { socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join(); }

    /** The next message; fails the test when none arrives in time. */
    JsonNode next() {
        try {
            JsonNode m = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(m).as("a message within " + WAIT_SECONDS + " s (socket ended: " + ended.getNow(null) + ")").isNotNull();
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next message if one arrives within {@code wait}, else null. */
    JsonNode poll(Duration wait) {
        try {
            return messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Messages received and not yet taken with {@link #next()}. */
    int waiting() { return messages.size(); }

    long received() { return received; }

    /** Stops asking for frames: the server's messages pile up in TCP buffers, then in the server's queue. */
    void pauseReading() { paused = true; }

    void resumeReading() {
        paused = false;
        socket.request(1);
    }

    CompletableFuture<Ending> ending() { return ended; }

    Ending awaitEnding() { return ended.orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join(); }

    private volatile CompletableFuture<ByteBuffer> pong;

    @Override
    public void onOpen(WebSocket webSocket) { webSocket.request(1); }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                messages.add(JSON.readTree(text));
            } catch (Exception e) {
                messages.add(JSON.getNodeFactory().textNode("NOT JSON: " + text));
            }
            received++;
        }
        if (!paused) webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        if (!paused) webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        CompletableFuture<ByteBuffer> waiting = pong;
        if (waiting != null) {
            ByteBuffer copy = ByteBuffer.allocate(message.remaining()).put(message).flip();
            waiting.complete(copy);
        }
        if (!paused) webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        if (!paused) webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        ended.complete(new Ending(statusCode, reason, null));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) { ended.complete(new Ending(-1, null, error)); }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(WAIT_SECONDS, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        socket.abort();
    }

    /** Closes with a close frame and waits for the server's answer. */
    void closeCleanly() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
        awaitEnding();
    }
}
