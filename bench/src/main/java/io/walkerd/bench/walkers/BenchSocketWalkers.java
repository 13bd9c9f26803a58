package io.walkerd.bench.walkers;

import io.walkerd.graph.Root;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Specs;
import io.walkerd.walker.Walker;
import io.walkerd.websocket.Notifier;
import io.walkerd.websocket.Socket;

import java.util.List;

/** The walkers of the websocket scenarios; every message they send carries the bench's send timestamp {@code t}. */
public final class BenchSocketWalkers {
    private BenchSocketWalkers() {}

    /** A delivery the generator times: {@code {"t": ...}}. */
    public record Stamp(long t) {}

    /** A progress message: {@code {"t": ..., "step": ...}}. */
    public record Progress(long t, int step) {}

    /** The last report of {@link BenchProgress}: {@code {"t": ..., "done": true}}. */
    public record Done(long t, boolean done) {}

    /** Called over REST by the {@code user-notify} scenario: sends {@code {"t"}} to every connection of those users. */
    @Specs(auth = false)
    public static class BenchNotifyUsers extends Walker {
        public List<String> root_ids;
        public long t;

        @OnEntry
        void enter(Root root) { Socket.of(this).notifyUsers(root_ids, new Stamp(t)); }
    }

    /** Called over websocket by {@code self-progress}: {@code steps} notifySelf messages, then its response. */
    @Specs(methods = {"websocket"}, auth = false)
    public static class BenchProgress extends Walker {
        public long t;
        public int steps = 3;

        @OnEntry
        void enter(Root root) {
            Notifier socket = Socket.of(this);
            for (int i = 0; i < steps; i++) socket.notifySelf(new Progress(t, i));
            report(new Done(t, true));
        }
    }
}
