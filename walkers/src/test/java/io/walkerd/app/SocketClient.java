package io.walkerd.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real websocket client for the app's tests (the JDK's {@link WebSocket}): every text frame, parsed, in order. */
final class SocketClient implements WebSocket.Listener, AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private JsonNode connection;

    private SocketClient() {}

    /** Connects to {@code url} (with a bearer token unless null) and waits for the connection event. */
    static SocketClient connect(String url, String token) {
        SocketClient c = new SocketClient();
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (token != null) b.header("Authorization", "Bearer " + token);
        c.socket = b.buildAsync(URI.create(url), c).join();
        c.connection = c.next();
        if (!"connection".equals(c.connection.path("type").asText())) {
            throw new AssertionError("the first frame is not the connection event: " + c.connection);
        }
        return c;
    }

    /** The HTTP status with which the server refuses this upgrade; fails when the upgrade succeeds. */
    static int refusal(String url, String token) {
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (token != null) b.header("Authorization", "Bearer " + token);
        try {
            b.buildAsync(URI.create(url), new SocketClient()).join().abort();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) return h.getResponse().statusCode();
            throw e;
        }
        throw new AssertionError("the upgrade to " + url + " was accepted");
    }

    /** The connection event's data: client_id, root_id, channel_id. */
    JsonNode info() { return connection.get("data"); }

    void send(Object frame) {
        try {
            socket.sendText(frame instanceof String s ? s : JSON.writeValueAsString(frame), true).join();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send " + frame + ": " + e, e);
        }
    }

    /** The next frame; fails after 10 seconds without one. */
    JsonNode next() {
        try {
            JsonNode f = frames.poll(10, TimeUnit.SECONDS);
            if (f == null) throw new AssertionError("no frame within 10 s");
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next {@code n} frames. */
    List<JsonNode> next(int n) {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(next());
        return out;
    }

    /** Every frame that arrives until none has come for {@code quiet}. */
    List<JsonNode> drain(Duration quiet) {
        List<JsonNode> out = new ArrayList<>();
        try {
            JsonNode f;
            while ((f = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) out.add(f);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                frames.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                frames.add(JSON.getNodeFactory().textNode(partial.toString()));
            }
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
        socket.abort();
    }
}
