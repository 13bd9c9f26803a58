package io.walkerd.websocket;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * What a delivery looks like on the wire. Protocol 1 (jac-cloud's) sends a message's data as it was sent; protocol 2
 * ({@code ?v=2}) wraps it, so that a client can tell a server frame from another client's data:
 * <pre>{"type":"message","target":"channel","channel_id":"room-1","offset":42,"epoch":"e-8c1f",
 *  "sender":{"client_id":"…","root_id":"n::…"},"data":{…}}</pre>
 * A node event is {@code {"type":"node","data":{…}}} (v2 adds {@code channel_id}, {@code offset}, {@code epoch});
 * server events are the same for both. The data is copied as text, never parsed again.
 */
final class Envelope {
    private Envelope() {}

    static String v1(Delivery d) {
        return switch (d.kind()) {
            case MESSAGE, EVENT -> d.data();
            case NODE -> "{\"type\":\"node\",\"data\":" + d.data() + "}";
        };
    }

    static String v2(Delivery d) {
        if (d.kind() == Delivery.Kind.EVENT) return d.data();
        StringBuilder b = new StringBuilder(d.data().length() + 160);
        if (d.kind() == Delivery.Kind.NODE) {
            b.append("{\"type\":\"node\"");
        } else {
            b.append("{\"type\":\"message\",\"target\":\"").append(d.target()).append('"');
        }
        if (d.topic() != null && d.topic().kind() == Topic.Kind.CHANNEL) {
            b.append(",\"channel_id\":");
            quote(b, d.topic().id());
        }
        if (d.hasPosition()) {
            b.append(",\"offset\":").append(d.offset()).append(",\"epoch\":");
            quote(b, d.epoch());
        }
        if (d.sender() != null) {
            b.append(",\"sender\":{\"client_id\":");
            quote(b, d.sender().clientId());
            b.append(",\"root_id\":");
            quote(b, d.sender().rootId());
            b.append('}');
        }
        return b.append(",\"data\":").append(d.data()).append('}').toString();
    }

    /** Appends {@code s} as a JSON string literal. */
    static void quote(StringBuilder b, String s) {
        b.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, b);
        b.append('"');
    }
}
