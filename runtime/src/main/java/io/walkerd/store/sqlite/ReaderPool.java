package io.walkerd.store.sqlite;

import io.walkerd.store.StoreUnavailable;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The read connections of a file store, each used by one thread at a time, taken without a lock.
 *
 * <p>Each connection has a slot that a reader takes with one compare-and-set, starting from a slot that depends on
 * its thread (so a thread tends to get the same connection back, and threads spread over the slots), then trying
 * the others. Only when every slot is taken does a reader wait, on a monitor that a release signals only when
 * someone waits. The queue this replaces (an {@code ArrayBlockingQueue} of 4) took one lock per borrow and per
 * return: with 100 request threads on 2 cores, a reader preempted while holding a connection left the others parked
 * on that lock (77 to 129 s of parked time in 75 s of the graph bench, more on a large store, whose reads take
 * longer).
 */
final class ReaderPool implements AutoCloseable {
    private final Session[] sessions;
    /** 0: free, 1: taken. */
    private final AtomicIntegerArray taken;
    /** Readers waiting for any slot (and {@link #close}): a release signals only when there are some. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final Object released = new Object();
    private volatile boolean closed;

    ReaderPool(List<Session> sessions) {
        if (sessions.isEmpty()) throw new IllegalArgumentException("a pool needs a connection");
        this.sessions = sessions.toArray(new Session[0]);
        this.taken = new AtomicIntegerArray(this.sessions.length);
    }

    int size() { return sessions.length; }

    /** Runs {@code work} on a connection of the pool, waiting for one when all are in use. */
    <T> T read(Session.SqlWork<T> work) throws SQLException {
        int slot = take();
        try {
            return work.apply(sessions[slot]);
        } finally {
            release(slot);
        }
    }

    private int take() {
        if (closed) throw Failures.closed();
        int home = (int) (Thread.currentThread().getId() % sessions.length);
        int slot = tryTake(home);
        if (slot >= 0) return slot;
        synchronized (released) {
            waiting.incrementAndGet();
            try {
                while (true) {
                    if (closed) throw Failures.closed();
                    // counted as waiting before this look: a release after it signals (see release)
                    slot = tryTake(home);
                    if (slot >= 0) return slot;
                    released.wait(100); // and look at closed now and then
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailable("interrupted while waiting for a database connection", e);
            } finally {
                waiting.decrementAndGet();
            }
        }
    }

    private int tryTake(int home) {
        int n = sessions.length;
        for (int i = 0; i < n; i++) {
            int slot = (home + i) % n;
            if (taken.get(slot) == 0 && taken.compareAndSet(slot, 0, 1)) return slot;
        }
        return -1;
    }

    private void release(int slot) {
        taken.set(slot, 0);
        // a reader that counted itself as waiting after this read looks at the slots after that, and finds this one
        if (waiting.get() > 0) {
            synchronized (released) {
                released.notify();
            }
        }
    }

    /**
     * Refuses new reads, waits (up to 30 s in all) for those under way to return their connections, and closes every
     * connection that came back.
     */
    @Override
    public void close() {
        closed = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean interrupted = false;
        synchronized (released) {
            released.notifyAll(); // waiting readers see closed
            waiting.incrementAndGet();
            try {
                for (int slot = 0; slot < sessions.length; slot++) {
                    boolean mine;
                    while (!(mine = taken.compareAndSet(slot, 0, 1))) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) break;
                        try {
                            released.wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                    if (mine) sessions[slot].close(); // (a read still under way after 30 s keeps its connection)
                }
            } finally {
                waiting.decrementAndGet();
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
