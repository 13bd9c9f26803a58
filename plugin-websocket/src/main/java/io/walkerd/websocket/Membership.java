package io.walkerd.websocket;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection in one channel. While the connection joins (its reply and the history it recovers are not sent
 * yet), the channel's live messages are held here, then sent after the recovered ones, without gap or repeat: a
 * message is identified by its offset, so one that the recovered history already holds is not sent twice.
 */
final class Membership {
    final Client client;
    final String channel;
    /** Node channels: whether the member's user could READ the node when last checked (at join, then per event). */
    volatile boolean mayRead = true;

    private boolean live;
    private List<Delivery> held;
    /** The lowest and the highest offset sent to the client in this membership (-1: none yet). */
    private long first = -1;
    private long last = -1;
    private String epoch;

    Membership(Client client, String channel, boolean live) {
        this.client = client;
        this.channel = channel;
        this.live = live;
        if (!live) held = new ArrayList<>();
    }

    /** A live message of the channel: sent now, or held while the connection joins. */
    synchronized void offer(Delivery d) {
        if (live) send(d);
        else held.add(d);
    }

    /** Holds live messages from now until {@link #resume} (a member that recovers what it missed). */
    synchronized void hold() {
        if (!live) return;
        live = false;
        held = new ArrayList<>();
    }

    synchronized boolean isLive() { return live; }

    /**
     * Sends the recovered messages the client has not had (older than the first it got live, or newer than the last),
     * marks it as having everything up to {@code top}, then sends the held messages newer than that, and goes live.
     *
     * @param top the channel's position when the history was read; null when the channel keeps no history
     * @return how many of the recovered messages were sent (the held ones were counted when they arrived)
     */
    synchronized int resume(List<Delivery> recovered, Position top) {
        int sent = 0;
        for (Delivery d : recovered) {
            if (first >= 0 && d.offset() >= first && d.offset() <= last && d.epoch().equals(epoch)) continue;
            if (first >= 0 && d.offset() < first && d.epoch().equals(epoch)) client.send(d); // older: does not move first/last
            else send(d);
            sent++;
        }
        if (top != null && (epoch == null || !epoch.equals(top.epoch()) || last < top.offset())) {
            if (first < 0 || !top.epoch().equals(epoch)) first = top.offset() + 1;
            last = top.offset();
            epoch = top.epoch();
        }
        if (held != null) {
            for (Delivery d : held) {
                if (d.hasPosition() && d.epoch().equals(epoch) && d.offset() <= last) continue;
                send(d);
            }
        }
        held = null;
        live = true;
        return sent;
    }

    private void send(Delivery d) {
        if (d.hasPosition()) {
            if (!d.epoch().equals(epoch)) {
                epoch = d.epoch();
                first = d.offset();
            } else if (first < 0) {
                first = d.offset();
            }
            last = d.offset();
        }
        client.send(d);
    }

    @Override
    public String toString() { return client.id() + " in " + channel; }
}
