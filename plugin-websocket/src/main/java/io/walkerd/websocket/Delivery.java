package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One message on its way to connections: its data (JSON text, as it was sent), how it is addressed, who caused it,
 * and, for a channel that keeps history, its place there ({@code offset}, {@code epoch}). Encoded for clients once
 * per protocol version however many connections it reaches ({@link #outgoing(int)}).
 *
 * @param topic  where it goes; null for a walker's {@code notifySelf}
 * @param kind   a message (wrapped for v2 connections), a node event, or a server event (never wrapped)
 * @param data   the JSON text of the message's data (for a server event, the whole frame)
 * @param sender the connection whose event caused it; null when a walker notified (the server speaks)
 * @param offset its offset in the channel's history; -1 when the channel keeps none
 * @param epoch  the channel history's epoch; null when the channel keeps none
 * @param seq    this instance's number for a message it published through Redis and waits to see back; -1 otherwise
 */
record Delivery(Topic topic, Kind kind, String data, ClientRef sender, long offset, String epoch, long seq, Encoded encoded) {

    enum Kind {
        MESSAGE("m"), NODE("n"), EVENT("e");

        final String code;

        Kind(String code) { this.code = code; }

        static Kind ofCode(String code) {
            for (Kind k : values()) if (k.code.equals(code)) return k;
            return null;
        }
    }

    /** A client event's data or a walker notification to a topic. */
    static Delivery message(Topic topic, String data, ClientRef sender) {
        return new Delivery(topic, Kind.MESSAGE, data, sender, -1, null, -1, new Encoded());
    }

    /** A walker's {@code notifySelf}. */
    static Delivery self(String data) { return new Delivery(null, Kind.MESSAGE, data, null, -1, null, -1, new Encoded()); }

    /** A node event's data ({@code {"id","event",...}}) for the node's channel. */
    static Delivery node(String channel, String data) {
        return new Delivery(Topic.channel(channel), Kind.NODE, data, null, -1, null, -1, new Encoded());
    }

    /**
     * A server event frame ({@code presence_join}, {@code presence_leave}) for a channel's members; {@code subject}
     * (the connection it is about, which is not told) rides as the sender.
     */
    static Delivery event(String channel, String frame, ClientRef subject) {
        return new Delivery(Topic.channel(channel), Kind.EVENT, frame, subject, -1, null, -1, new Encoded());
    }

    /** The same message at its place in the channel's history. */
    Delivery at(long offset, String epoch) { return new Delivery(topic, kind, data, sender, offset, epoch, seq, new Encoded()); }

    Delivery withSeq(long seq) { return new Delivery(topic, kind, data, sender, offset, epoch, seq, encoded); }

    boolean hasPosition() { return offset >= 0 && epoch != null; }

    /** {@code self}, {@code user}, {@code channel} or {@code client}: how it reached the connection. */
    String target() { return topic == null ? "self" : topic.kind().label; }

    /** The frame for a connection of protocol {@code version}, encoded once per version. */
    Outgoing outgoing(int version) {
        if (version >= 2) {
            Outgoing o = encoded.v2;
            if (o == null) encoded.v2 = o = Outgoing.of(Envelope.v2(this));
            return o;
        }
        Outgoing o = encoded.v1;
        if (o == null) encoded.v1 = o = Outgoing.of(Envelope.v1(this));
        return o;
    }

    // ---- across instances ----------------------------------------------------------------------------------

    /**
     * The header fields that travel with the data between instances, without braces and without the position
     * (which Redis adds when it numbers the message): {@code "k":"m","s":{"c":"<client id>","r":"<root id>"}}.
     */
    String wireFields() {
        StringBuilder b = new StringBuilder(64).append("\"k\":\"").append(kind.code).append('"');
        if (sender != null) {
            b.append(",\"s\":{\"c\":");
            Envelope.quote(b, sender.clientId());
            b.append(",\"r\":");
            Envelope.quote(b, sender.rootId());
            b.append('}');
        }
        return b.toString();
    }

    /** The header with the position, if any: {@code {"o":42,"e":"e-1f..",<wireFields>}}. */
    String wireHeader() {
        StringBuilder b = new StringBuilder(96).append('{');
        if (hasPosition()) {
            b.append("\"o\":").append(offset).append(",\"e\":");
            Envelope.quote(b, epoch);
            b.append(',');
        }
        return b.append(wireFields()).append('}').toString();
    }

    /** A delivery read from another instance (or from a channel's stored history); null when the header is not ours. */
    static Delivery fromWire(Topic topic, JsonNode header, String data) {
        if (header == null || !header.isObject()) return null;
        Kind kind = Kind.ofCode(header.path("k").asText("m"));
        if (kind == null) return null;
        JsonNode s = header.get("s");
        ClientRef sender = s == null || !s.isObject() ? null : new ClientRef(s.path("c").asText(), s.path("r").asText());
        long offset = header.has("o") ? header.get("o").asLong(-1) : -1;
        String epoch = header.has("e") ? header.get("e").asText() : null;
        long seq = header.has("i") ? header.get("i").asLong(-1) : -1;
        return new Delivery(topic, kind, data, sender, offset, epoch, seq, new Encoded());
    }

    /** The encodings made so far; shared by the copies of one delivery that differ only in {@code seq}. */
    static final class Encoded {
        volatile Outgoing v1;
        volatile Outgoing v2;
    }

    @Override
    public String toString() {
        return kind + " to " + (topic == null ? "self" : topic) + (hasPosition() ? " @" + offset + "/" + epoch : "");
    }
}
