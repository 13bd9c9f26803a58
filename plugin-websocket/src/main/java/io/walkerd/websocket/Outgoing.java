package io.walkerd.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A text message encoded to UTF-8 once, however many connections it goes to: each connection's queue writes a
 * {@link ByteBuffer#duplicate()} of the same read-only bytes.
 */
record Outgoing(ByteBuffer utf8) {

    static Outgoing of(String text) {
        return new Outgoing(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
    }

    int bytes() { return utf8.remaining(); }

    /** An independent view for one write (Jetty moves the buffer's position as it writes). */
    ByteBuffer payload() { return utf8.duplicate(); }
}
