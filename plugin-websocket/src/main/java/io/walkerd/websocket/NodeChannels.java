package io.walkerd.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.auth.Principal;
import io.walkerd.graph.Access;
import io.walkerd.graph.RefId;
import io.walkerd.spi.CommitListener;
import io.walkerd.spi.NodeChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/**
 * The live graph: a channel whose id is a node's ref id ({@code n:Task:<hex>}, or a root's {@code n::<hex>}) carries
 * that node's changes. Only a user who can READ the node may join it ({@link #mayJoin}, at every join), and after
 * each successful commit that changes the node its members get one {@code node} event, if their user can READ it at
 * that moment: the level is read from the store per user at each delivery (once per user per event, never cached
 * longer). A destroyed node can no longer be read: its last event goes to the members that could read it until then.
 *
 * <p>Node events are channel messages like any other (offsets, history, recovery, other instances); their delivery
 * to local members runs on one lane of its own, in order, because the access checks read the store.
 */
final class NodeChannels implements CommitListener {
    private static final Logger log = LoggerFactory.getLogger(NodeChannels.class);

    /** How a destroyed node's event ends ({@link #event} writes {@code "event"} last then, after {@code context} else). */
    private static final String DESTROYED_END = ",\"event\":\"destroyed\"}";

    private final BiFunction<Principal, String, Access> access;
    private final ObjectMapper json;
    private final Executor lane;
    private final Hub hub;
    private final SocketMetrics metrics;
    private volatile Fanout fanout;

    /**
     * @param access the level a user has on a node as stored now ({@code PluginContext.accessTo})
     * @param lane   one thread: node channels' deliveries, in order, with their store reads
     */
    NodeChannels(BiFunction<Principal, String, Access> access, ObjectMapper json, Executor lane, Hub hub, SocketMetrics metrics) {
        this.access = access;
        this.json = json;
        this.lane = lane;
        this.hub = hub;
        this.metrics = metrics;
    }

    void start(Fanout fanout) { this.fanout = fanout; }

    /** A node's ref id, as a channel id: {@code n:<Type>:<id>} or {@code n::<id>} (a bare id is an ordinary name). */
    static boolean isNodeChannel(String channelId) {
        if (channelId == null || !channelId.startsWith("n:")) return false;
        RefId ref = RefId.parse(channelId);
        return ref != null && ref.kind() == 'n';
    }

    /** True unless {@code channelId} is a node channel whose node {@code who} cannot READ (or that does not exist). */
    boolean mayJoin(Principal who, String channelId) {
        return !isNodeChannel(channelId) || canRead(who, channelId);
    }

    /** Why {@code who} may not join, or null when it may. */
    String denial(Principal who, String channelId) {
        return mayJoin(who, channelId) ? null : "You don't have access on target entry " + channelId + "!";
    }

    @Override
    public void committed(List<NodeChange> changes) {
        Fanout f = fanout;
        if (f == null) return;
        for (NodeChange change : changes) {
            try {
                f.deliver(Delivery.node(change.id(), event(change)));
            } catch (RuntimeException e) {
                log.error("node event of {} could not be published", change.id(), e);
            }
        }
    }

    /** {@code {"id","event":"updated","changes":[...],"context":{...}}} or {@code {"id","event":"destroyed"}}. */
    private String event(NodeChange change) {
        ObjectNode e = json.createObjectNode();
        e.put("id", change.id());
        if (change.destroyed()) {
            e.put("event", "destroyed");
        } else {
            e.put("event", "updated");
            e.set("changes", json.valueToTree(change.changes()));
            e.set("context", change.context() == null ? json.createObjectNode() : change.context());
        }
        try {
            return json.writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write the node event of " + change.id(), ex);
        }
    }

    /** Hands a node channel's message to its local members whose user can READ the node now, in order. */
    void deliver(Delivery d) {
        lane.execute(() -> {
            String node = d.topic().id();
            Map<String, Boolean> readable = new HashMap<>(); // per user, for this delivery only
            boolean destroyed = d.kind() == Delivery.Kind.NODE && d.data().endsWith(DESTROYED_END);
            int reached = 0;
            for (Membership m : hub.members(node)) {
                if (Fanout.isSubject(d, m.client)) continue;
                if (d.kind() == Delivery.Kind.NODE || d.kind() == Delivery.Kind.MESSAGE) {
                    if (destroyed) {
                        if (!m.mayRead) continue;
                    } else {
                        Principal who = m.client.principal();
                        boolean ok = readable.computeIfAbsent(who.rootRef(), r -> canRead(who, node));
                        m.mayRead = ok;
                        if (!ok) continue;
                    }
                }
                m.offer(d);
                reached++;
            }
            metrics.messagesOut(SocketMetrics.targetOf(d), reached);
        });
    }

    private boolean canRead(Principal who, String node) {
        try {
            return access.apply(who, node).atLeast(Access.READ);
        } catch (RuntimeException e) {
            log.warn("access of {} to {} could not be read; treated as none", who.rootRef(), node, e);
            return false;
        }
    }
}
