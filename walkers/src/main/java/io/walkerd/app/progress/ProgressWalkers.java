package io.walkerd.app.progress;

import io.walkerd.graph.Root;
import io.walkerd.walker.EntryType;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Required;
import io.walkerd.walker.Specs;
import io.walkerd.walker.Walker;
import io.walkerd.websocket.Notifier;
import io.walkerd.websocket.Socket;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * jac-cloud's websocket test walkers: a job of six steps that reports each step and, before it, tells someone how
 * far it got: {@code {"any_field":"for_progress","progress":"40%","status":"inprogress"}}. The four walkers differ
 * only in whom they tell: the calling connection, a user, a channel or a client.
 */
public final class ProgressWalkers {
    private ProgressWalkers() {}

    private static final String[] PERCENT = {"0%", "20%", "40%", "60%", "80%", "100%"};

    /** The progress message of step {@code i} (0..5): started, four times inprogress, completed. */
    static Map<String, String> progress(int i) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("any_field", "for_progress");
        m.put("progress", PERCENT[i]);
        m.put("status", i == 0 ? "started" : i == PERCENT.length - 1 ? "completed" : "inprogress");
        return m;
    }

    /** The job; a subclass says whom to notify. Abstract, so it is not a walker of its own. */
    abstract static class ProgressJob extends Walker {
        @OnEntry
        void work(Root root) {
            Notifier socket = Socket.of(this);
            for (int i = 0; i < PERCENT.length; i++) {
                notify(socket, progress(i));
                report("do something " + (i + 1));
            }
        }

        abstract void notify(Notifier socket, Map<String, String> progress);
    }

    /** Websocket only: the connection that sent the walker event sees the progress. */
    @Specs(methods = {"websocket"}, entryType = EntryType.ROOT, tags = {"websocket"}, summary = "Progress to the calling connection")
    public static class SelfProgressNotif extends ProgressJob {
        @Override
        void notify(Notifier socket, Map<String, String> progress) { socket.notifySelf(progress); }
    }

    /** Every connection of the user whose root is {@code root_id} sees the progress. */
    @Specs(methods = {"websocket", "post"}, entryType = EntryType.ROOT, tags = {"websocket"}, summary = "Progress to a user")
    public static class UserProgressNotif extends ProgressJob {
        @Required public String root_id;

        @Override
        void notify(Notifier socket, Map<String, String> progress) { socket.notifyUsers(List.of(root_id), progress); }
    }

    /** Every connection in channel {@code channel_id} sees the progress. */
    @Specs(methods = {"websocket", "post"}, entryType = EntryType.ROOT, tags = {"websocket"}, summary = "Progress to a channel")
    public static class ChannelProgressNotif extends ProgressJob {
        @Required public String channel_id;

        @Override
        void notify(Notifier socket, Map<String, String> progress) { socket.notifyChannels(List.of(channel_id), progress); }
    }

    /** The connection {@code client_id} sees the progress. */
    @Specs(methods = {"websocket", "post"}, entryType = EntryType.ROOT, tags = {"websocket"}, summary = "Progress to a client")
    public static class ClientProgressNotif extends ProgressJob {
        @Required public String client_id;

        @Override
        void notify(Notifier socket, Map<String, String> progress) { socket.notifyClients(List.of(client_id), progress); }
    }

    /** Does nothing, for anyone: answers {@code {"status": 200}}. */
    @Specs(auth = false, entryType = EntryType.ROOT, tags = {"websocket"}, summary = "Do nothing")
    public static class Something extends Walker {
    }
}
