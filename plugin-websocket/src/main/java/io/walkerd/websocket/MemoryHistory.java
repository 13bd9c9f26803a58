package io.walkerd.websocket;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Channel histories kept by this instance alone: the history of one server, or of an instance that cannot reach
 * Redis for now. A channel's message is numbered, kept and handed to the local members under the channel's lock, so
 * every member sees the offsets of one channel in order. Epochs are made here, so a restarted instance starts new
 * ones. A channel with no message left and no local member is forgotten after {@code metaTtlMillis}.
 */
final class MemoryHistory implements ChannelHistory {
    private final int size;
    private final long ttlMillis;
    private final long metaTtlMillis;
    private final Predicate<String> hasLocalMembers;
    private final Map<String, State> channels = new ConcurrentHashMap<>();
    private volatile Function<Delivery, CompletableFuture<Void>> local = d -> CompletableFuture.completedFuture(null);

    private static final class State {
        final String epoch = ChannelHistory.newEpoch();
        final ArrayDeque<Kept> kept = new ArrayDeque<>();
        long top;
        long touched = System.currentTimeMillis();
        boolean dead;
    }

    private record Kept(long at, Delivery message) {}

    MemoryHistory(int size, long ttlMillis, long metaTtlMillis, Predicate<String> hasLocalMembers) {
        this.size = size;
        this.ttlMillis = ttlMillis;
        this.metaTtlMillis = metaTtlMillis;
        this.hasLocalMembers = hasLocalMembers;
    }

    @Override
    public void start(Function<Delivery, CompletableFuture<Void>> local) { this.local = local; }

    @Override
    public CompletableFuture<Void> publish(Delivery message, boolean onlyIfWatched, boolean here) {
        String channel = message.topic().id();
        while (true) {
            State s = onlyIfWatched && !hasLocalMembers.test(channel) ? channels.get(channel) : state(channel);
            if (s == null) return CompletableFuture.completedFuture(null);
            synchronized (s) {
                if (s.dead) continue;
                long now = System.currentTimeMillis();
                s.top++;
                s.touched = now;
                Delivery numbered = message.at(s.top, s.epoch);
                s.kept.addLast(new Kept(now, numbered));
                while (s.kept.size() > size) s.kept.removeFirst();
                // handed on under the lock: local members get the channel's messages in offset order
                return local.apply(numbered);
            }
        }
    }

    @Override
    public CompletableFuture<Position> position(String channel) {
        return CompletableFuture.completedFuture(read(channel, s -> new Position(s.top, s.epoch)));
    }

    @Override
    public CompletableFuture<Page> since(String channel, Position since, int limit) {
        return CompletableFuture.completedFuture(read(channel, s -> {
            expire(s, System.currentTimeMillis());
            Position top = new Position(s.top, s.epoch);
            List<Delivery> out = new ArrayList<>();
            if (since == null) {
                int skip = Math.max(0, s.kept.size() - limit);
                for (Kept k : s.kept) if (skip-- <= 0) out.add(k.message());
                return new Page(top, true, out);
            }
            if (!s.epoch.equals(since.epoch()) || since.offset() > s.top) return new Page(top, false, List.of());
            if (since.offset() == s.top) return new Page(top, true, List.of());
            long oldest = s.kept.isEmpty() ? s.top + 1 : s.kept.peekFirst().message().offset();
            if (since.offset() + 1 < oldest) return new Page(top, false, List.of());
            for (Kept k : s.kept) {
                if (k.message().offset() > since.offset() && out.size() < limit) out.add(k.message());
            }
            return new Page(top, true, out);
        }));
    }

    /** Drops messages older than the history's time to live, and channels idle past the meta time to live. */
    void sweep() {
        long now = System.currentTimeMillis();
        Iterator<Map.Entry<String, State>> it = channels.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, State> e = it.next();
            State s = e.getValue();
            synchronized (s) {
                expire(s, now);
                if (s.kept.isEmpty() && now - s.touched > metaTtlMillis && !hasLocalMembers.test(e.getKey())) {
                    s.dead = true;
                    it.remove();
                }
            }
        }
    }

    /** Forgets a channel's history (its next message starts a new epoch). */
    void forget(String channel) {
        State s = channels.remove(channel);
        if (s != null) synchronized (s) { s.dead = true; }
    }

    /** Forgets every channel's history. */
    void forgetAll() { for (String ch : List.copyOf(channels.keySet())) forget(ch); }

    boolean knows(String channel) { return channels.containsKey(channel); }

    private <T> T read(String channel, Function<State, T> f) {
        while (true) {
            State s = state(channel);
            synchronized (s) {
                if (s.dead) continue;
                s.touched = System.currentTimeMillis();
                return f.apply(s);
            }
        }
    }

    private State state(String channel) { return channels.computeIfAbsent(channel, k -> new State()); }

    private void expire(State s, long now) {
        while (!s.kept.isEmpty() && now - s.kept.peekFirst().at() > ttlMillis) s.kept.removeFirst();
    }

    int channelCount() { return channels.size(); }

    /** Messages kept, every channel's together (each channel counted under its lock). */
    long messageCount() {
        long n = 0;
        for (State s : channels.values()) {
            synchronized (s) {
                n += s.kept.size();
            }
        }
        return n;
    }
}
