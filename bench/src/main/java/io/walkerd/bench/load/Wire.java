package io.walkerd.bench.load;

import io.netty.buffer.ByteBuf;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The websocket protocol of one kind of server. walkerd and the Node ws peer speak walkerd's JSON events; Socket.IO
 * wraps the same JSON bodies in Engine.IO v4 / Socket.IO v5 packets ({@code 42["event",{...}]}). Every server answers
 * a new connection with a {@code connection} event once it has registered it, which is when the generator counts the
 * connection as ready.
 */
public enum Wire {
    WALKERD, WS, SOCKETIO;

    /** What an incoming text frame is, to the generator. */
    public enum Kind { READY, MESSAGE, ERROR, CONTROL }

    /** Path and query of the websocket URL; {@code channel} and {@code rootId} may be null. */
    public String path(String channel, String rootId) {
        StringBuilder q = new StringBuilder();
        if (channel != null) q.append("channel_id=").append(enc(channel));
        // walkerd knows the user from the token; the peers have no users, so they take the id as it is
        if (rootId != null && this != WALKERD) q.append(q.length() > 0 ? "&" : "").append("root_id=").append(enc(rootId));
        if (this == SOCKETIO) return "/socket.io/?EIO=4&transport=websocket" + (q.length() > 0 ? "&" + q : "");
        return "/websocket" + (q.length() > 0 ? "?" + q : "");
    }

    /**
     * A client event: {@code fields} is the JSON object's members without braces, e.g.
     * {@code "channel_ids":["c"],"data":{"t":1}}.
     */
    public String event(String type, String fields) {
        if (this == SOCKETIO) return "42[\"" + type + "\",{" + fields + "}]";
        return "{\"type\":\"" + type + "\"," + fields + "}";
    }

    /**
     * Classifies a text frame; for Socket.IO also answers the protocol's own packets on {@code reply} (the Engine.IO
     * open packet with a namespace connect, a ping with a pong).
     */
    public Kind classify(ByteBuf text, java.util.function.Consumer<String> reply) {
        int i = text.readerIndex();
        int n = text.readableBytes();
        if (n == 0) return Kind.CONTROL;
        if (this == SOCKETIO) {
            byte engine = text.getByte(i);
            if (engine == '0') { reply.accept("40"); return Kind.CONTROL; }       // open: connect the main namespace
            if (engine == '2' && n == 1) { reply.accept("3"); return Kind.CONTROL; } // ping: pong
            if (engine != '4' || n < 2) return Kind.CONTROL;
            byte packet = text.getByte(i + 1);
            if (packet == '4') return Kind.ERROR;                                // connect_error
            if (packet != '2') return Kind.CONTROL;                              // namespace connected, ack, ...
            if (startsWith(text, i + 2, "[\"connection\"")) return Kind.READY;
            return Kind.MESSAGE;
        }
        if (startsWith(text, i, "{\"type\":\"connection\"")) return Kind.READY;
        if (indexOf(text, "\"error\"") >= 0) return Kind.ERROR;
        return Kind.MESSAGE;
    }

    /**
     * Whether a text frame is the one that says a new connection is connected, for the {@code connect} scenario:
     * walkerd's and the ws peer's {@code connection} event, and Socket.IO's namespace connect ack ({@code 40{"sid":...}},
     * which the server sends once the socket has joined the namespace, just before its {@code connection} handlers run).
     */
    public boolean connected(ByteBuf text) {
        int i = text.readerIndex();
        if (this == SOCKETIO) return text.readableBytes() >= 2 && text.getByte(i) == '4' && text.getByte(i + 1) == '0';
        return startsWith(text, i, "{\"type\":\"connection\"");
    }

    /** The value of the first {@code "t":<digits>} in the frame, or -1. */
    public static long stamp(ByteBuf text) { return number(text, "\"t\":"); }

    /** The value of the first {@code <key><digits>} in the frame (key with its quotes and colon, e.g. {@code "seq":}), or -1. */
    public static long number(ByteBuf text, String key) {
        int at = indexOf(text, key);
        if (at < 0) return -1;
        int end = text.writerIndex();
        long v = 0;
        int digits = 0;
        for (int p = at + key.length(); p < end; p++) {
            byte b = text.getByte(p);
            if (b == ' ' && digits == 0) continue;
            if (b < '0' || b > '9') break;
            v = v * 10 + (b - '0');
            digits++;
        }
        return digits == 0 ? -1 : v;
    }

    /** Index of {@code needle} (ASCII) in the readable bytes, or -1. */
    public static int indexOf(ByteBuf text, String needle) {
        int start = text.readerIndex();
        int end = text.writerIndex() - needle.length();
        byte first = (byte) needle.charAt(0);
        outer:
        for (int p = start; p <= end; p++) {
            if (text.getByte(p) != first) continue;
            for (int k = 1; k < needle.length(); k++) {
                if (text.getByte(p + k) != (byte) needle.charAt(k)) continue outer;
            }
            return p;
        }
        return -1;
    }

    private static boolean startsWith(ByteBuf text, int from, String prefix) {
        if (text.writerIndex() - from < prefix.length()) return false;
        for (int k = 0; k < prefix.length(); k++) {
            if (text.getByte(from + k) != (byte) prefix.charAt(k)) return false;
        }
        return true;
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
