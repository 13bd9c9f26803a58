package io.walkerd.app.chat;

import io.walkerd.graph.Root;
import io.walkerd.walker.EntryType;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Required;
import io.walkerd.walker.Specs;
import io.walkerd.walker.Walker;
import io.walkerd.websocket.Socket;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chat walkers of jac-cloud's websocket guide: each sends {@code {"type":"chat","data":{"message": ...}}} to a
 * user (every connection of that root), a channel, or one client (connection). Callable as websocket events and
 * over POST.
 */
public final class ChatWalkers {
    private ChatWalkers() {}

    /** {@code {"type":"chat","data":{"message": message}}}, keys in that order. */
    static Map<String, Object> chat(String message) {
        Map<String, Object> chat = new LinkedHashMap<>();
        chat.put("type", "chat");
        chat.put("data", Map.of("message", message));
        return chat;
    }

    /** To every connection of the user whose root is {@code root_id} ({@code n::<hex>}). */
    @Specs(methods = {"websocket", "post"}, entryType = EntryType.ROOT, tags = {"chat"}, summary = "Chat to a user")
    public static class SendChatToUser extends Walker {
        @Required public String root_id;
        public String message = "string";

        @OnEntry
        void send(Root root) { Socket.of(this).notifyUsers(List.of(root_id), chat(message)); }
    }

    /** To every connection in channel {@code channel_id}. */
    @Specs(methods = {"websocket", "post"}, entryType = EntryType.ROOT, tags = {"chat"}, summary = "Chat to a channel")
    public static class SendChatToGroup extends Walker {
        @Required public String channel_id;
        public String message = "string";

        @OnEntry
        void send(Root root) { Socket.of(this).notifyChannels(List.of(channel_id), chat(message)); }
    }

    /** To the one connection {@code client_id}. */
    @Specs(methods = {"websocket", "post"}, entryType = EntryType.ROOT, tags = {"chat"}, summary = "Chat to a client")
    public static class SendChatToClient extends Walker {
        @Required public String client_id;
        public String message = "string";

        @OnEntry
        void send(Root root) { Socket.of(this).notifyClients(List.of(client_id), chat(message)); }
    }
}
