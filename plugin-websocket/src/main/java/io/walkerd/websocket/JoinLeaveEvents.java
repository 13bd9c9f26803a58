package io.walkerd.websocket;

/**
 * With {@code SOCKET_JOIN_LEAVE=true}, a channel's members hear of every connection that enters or leaves it
 * (connect, {@code join}, {@code leave}, disconnect), on every instance:
 * {@code {"type":"presence_join"|"presence_leave","data":{"channel_id","client_id","root_id"}}}. The connection
 * itself is not told. These events are not kept in the channel's history.
 */
final class JoinLeaveEvents implements Hub.MembershipListener {
    private final Fanout fanout;

    JoinLeaveEvents(Fanout fanout) { this.fanout = fanout; }

    @Override
    public void joined(Membership m) { send("presence_join", m); }

    @Override
    public void left(Membership m) { send("presence_leave", m); }

    private void send(String type, Membership m) {
        StringBuilder b = new StringBuilder(160).append("{\"type\":\"").append(type).append("\",\"data\":{\"channel_id\":");
        Envelope.quote(b, m.channel);
        b.append(",\"client_id\":");
        Envelope.quote(b, m.client.id());
        b.append(",\"root_id\":");
        Envelope.quote(b, m.client.rootRef());
        b.append("}}");
        // the subject rides as the sender, so that no instance sends the event to the connection it is about
        fanout.deliver(Delivery.event(m.channel, b.toString(), ClientRef.of(m.client)));
    }
}
