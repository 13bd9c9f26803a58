package io.walkerd.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Who is in a channel: every connection, on every instance. Told of each membership by the {@link Hub}.
 * {@link Local} answers from this instance's hub (one instance, or Redis away); {@link RedisPresence} from Redis.
 */
interface Presence extends Hub.MembershipListener, AutoCloseable {

    /** Every connection in the channel, each once. */
    CompletableFuture<List<ClientRef>> members(String channel);

    /** The connection's user changed ({@code change_user}): its entries name the new one. */
    default void userChanged(Client c) {}

    @Override
    default void joined(Membership m) {}

    @Override
    default void left(Membership m) {}

    @Override
    default void close() {}

    /** This instance's connections in a channel. */
    static List<ClientRef> local(Hub hub, String channel) {
        List<ClientRef> out = new ArrayList<>();
        for (Membership m : hub.members(channel)) out.add(ClientRef.of(m.client));
        return out;
    }

    /** The presence of a single instance: its hub knows everyone. */
    final class Local implements Presence {
        private final Hub hub;

        Local(Hub hub) { this.hub = hub; }

        @Override
        public CompletableFuture<List<ClientRef>> members(String channel) {
            return CompletableFuture.completedFuture(local(hub, channel));
        }
    }
}
