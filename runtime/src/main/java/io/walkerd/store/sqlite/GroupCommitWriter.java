package io.walkerd.store.sqlite;

import io.walkerd.store.CommitConflict;
import io.walkerd.store.StoreUnavailable;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * The store's only writer: one thread that owns the write connection and applies every write, so that writes never
 * wait on SQLite's lock, only on this queue.
 *
 * <p>Group commit: the writes that queued up while a transaction ran are applied together in the next one (up to
 * {@link #MAX_GROUP}), each inside its own savepoint. A write that fails (a version conflict, a taken email) is
 * rolled back to its savepoint alone and the others still commit; one COMMIT, and so one WAL append (and one fsync
 * with {@code sync=full}), serves the whole group. A write's caller is answered only after that COMMIT: what it
 * was told succeeded is durable.
 *
 * <p>Between that COMMIT and the answers, the writes' changes to the store's document caches are published (see
 * {@link Coherence}): a caller that was answered finds its write there. Before each transaction, and every
 * {@link Coherence#WATCH_MS} ms while idle, the caches are checked against commits of other processes.
 */
final class GroupCommitWriter {
    static final int MAX_GROUP = 128;

    /** A unit of work run on the write connection inside a transaction; what it returns goes back to its caller. */
    @FunctionalInterface
    interface Work<T> { T apply(Session session) throws SQLException; }

    private static final class Pending<T> {
        final String doing;
        final Work<T> work;
        /** What the write changes in the document caches, filled by {@link #work}; published after its COMMIT. */
        final List<Runnable> changes;
        final CompletableFuture<T> outcome = new CompletableFuture<>();
        T result;

        Pending(String doing, Work<T> work, List<Runnable> changes) {
            this.doing = doing;
            this.work = work;
            this.changes = changes;
        }

        void run(Session s) throws SQLException { result = work.apply(s); }

        void succeed() { outcome.complete(result); }
    }

    /** Queued by {@link #close} behind every accepted write. */
    private static final Pending<Void> STOP = new Pending<>("stop", s -> null, null);

    private final Session session;
    private final Lock exclusive;
    /** Told after every COMMIT, and asked before each transaction whether to restart the WAL; null for none. */
    private final Checkpointer checkpointer;
    /** Where committed changes are published; null for none. */
    private final Coherence coherence;
    /** Lock-free, so that callers queue their writes without waiting for each other. */
    private final BlockingQueue<Pending<?>> queue = new LinkedTransferQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    /** Set by the thread once it takes no more writes; it then fails whatever is still queued. */
    private volatile boolean stopped;

    /**
     * @param exclusive held around every transaction; for an in-memory database, whose one connection the readers
     *                  share, so that no read runs inside a write's transaction. Null when the readers have their own.
     */
    GroupCommitWriter(Session session, Lock exclusive, String threadName) { this(session, exclusive, null, null, threadName); }

    /**
     * @param checkpointer told of every COMMIT, and asked when to restart the WAL (see {@link Checkpointer}); may be null
     * @param coherence    where the changes of committed writes are published; may be null
     */
    GroupCommitWriter(Session session, Lock exclusive, Checkpointer checkpointer, Coherence coherence, String threadName) {
        this.session = session;
        this.exclusive = exclusive;
        this.checkpointer = checkpointer;
        this.coherence = coherence;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code work} in the next transaction and returns its result once that transaction has committed. */
    <T> T write(String doing, Work<T> work) { return write(doing, work, null); }

    /**
     * Like {@link #write(String, Work)}; {@code changes} (filled by {@code work}, or before) is published to the
     * document caches after the COMMIT, before this returns, unless the write failed.
     */
    <T> T write(String doing, Work<T> work, List<Runnable> changes) {
        Pending<T> p = new Pending<>(doing, work, changes);
        // no lock: a hundred callers at once queued behind one monitor here (13 s blocked in 75 s of the graph bench)
        if (closed) throw Failures.closed();
        queue.add(p);
        // queued after the thread's last look at the queue (see run): nobody else will answer it
        if (stopped && queue.remove(p)) p.outcome.completeExceptionally(Failures.closed());
        try {
            return p.outcome.join(); // uninterruptible on purpose: the write may be committed whatever the caller does
        } catch (CompletionException e) {
            throw inCallersThread(e.getCause());
        }
    }

    /**
     * Lets every write queued before it finish, refuses those that come while it runs (closed), then stops the
     * thread. The session stays open (the caller closes it).
     */
    void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        queue.add(STOP);
        Threads.joinUninterruptibly(thread);
    }

    private void run() {
        List<Pending<?>> group = new ArrayList<>(MAX_GROUP);
        boolean stopping = false;
        while (!stopping) {
            try {
                if (coherence == null || !coherence.watches()) {
                    group.add(queue.take());
                } else {
                    Pending<?> next = queue.poll(Coherence.WATCH_MS, TimeUnit.MILLISECONDS);
                    if (next == null) {
                        // idle: every commit of this store is published, so a moved stamp is another process's
                        coherence.sync(coherence.stamp());
                        continue;
                    }
                    group.add(next);
                }
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread to stop it: STOP does
            }
            queue.drainTo(group, MAX_GROUP - 1);
            int stop = group.indexOf(STOP);
            if (stop >= 0) {
                stopping = true;
                // behind STOP: writes queued while close() ran, which are refused as if they came after it
                List<Pending<?>> late = group.subList(stop, group.size());
                for (Pending<?> p : late) if (p != STOP) p.outcome.completeExceptionally(Failures.closed());
                late.clear();
            }
            if (!group.isEmpty()) runGroup(group);
            group.clear();
        }
        // a write that saw closed unset may have been queued behind STOP: fail it (or its caller does, see write)
        stopped = true;
        for (Pending<?> p; (p = queue.poll()) != null; ) p.outcome.completeExceptionally(Failures.closed());
    }

    private void runGroup(List<Pending<?>> group) {
        if (exclusive != null) exclusive.lock();
        try {
            transaction(group);
        } catch (Throwable t) {
            // never leave a caller waiting or a transaction open, whatever broke
            rollback();
            failAll(group, t);
        } finally {
            if (exclusive != null) exclusive.unlock();
        }
    }

    private void transaction(List<Pending<?>> group) {
        if (checkpointer != null && checkpointer.restartWanted()) checkpointer.restartTried(restartWal());
        try {
            session.update("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            failAll(group, Failures.unavailable(group.get(0).doing, e));
            return;
        }
        // the write lock is held from here: whatever another process committed is in the file now, not later
        long before = 0;
        if (coherence != null) {
            before = coherence.stamp();
            coherence.sync(before);
        }
        List<Pending<?>> applied = new ArrayList<>(group.size());
        for (Pending<?> p : group) {
            try {
                session.update("SAVEPOINT w");
                p.run(session);
                session.update("RELEASE w");
                applied.add(p);
            } catch (Throwable failure) {
                try {
                    session.update("ROLLBACK TO w");
                    session.update("RELEASE w");
                } catch (SQLException broken) {
                    // SQLite rolled the whole transaction back itself (disk full, I/O error): nothing of the group stands
                    StoreUnavailable why = failure instanceof SQLException e ? Failures.unavailable(p.doing, e)
                            : Failures.unavailable(p.doing, broken);
                    rollback();
                    failAll(group, why);
                    return;
                }
                p.outcome.completeExceptionally(failure instanceof SQLException e ? Failures.unavailable(p.doing, e) : failure);
            }
        }
        try {
            session.update("COMMIT");
        } catch (SQLException e) {
            // whether any of it reached the file is not certain: the caches start again
            if (coherence != null) coherence.forget(coherence.stamp());
            rollback();
            failAll(applied, Failures.unavailable(applied.isEmpty() ? "write" : applied.get(0).doing, e));
            return;
        }
        if (coherence != null) {
            List<Runnable> changes = new ArrayList<>();
            for (Pending<?> p : applied) if (p.changes != null) changes.addAll(p.changes);
            coherence.committed(before, coherence.stamp(), changes);
        }
        if (checkpointer != null) checkpointer.committed();
        for (Pending<?> p : applied) p.succeed();
    }

    /**
     * Copies what the checkpointer has not yet copied and waits (briefly) for the readers of the WAL, so that the next
     * transaction starts it again from the beginning. True when that worked; false when readers kept it from
     * completing (a long export, say), and then the WAL carries on growing until the next try.
     */
    private boolean restartWal() {
        try {
            session.pragma("PRAGMA busy_timeout = " + Checkpointer.RESTART_WAIT_MS);
            try {
                String[] outcome = session.row("PRAGMA wal_checkpoint(RESTART)"); // busy (0/1), pages in the WAL, pages copied
                return outcome != null && "0".equals(outcome[0]);
            } finally {
                session.pragma("PRAGMA busy_timeout = " + SqliteStore.BUSY_TIMEOUT_MS);
            }
        } catch (SQLException e) {
            return false;
        }
    }

    private void rollback() {
        try {
            session.update("ROLLBACK");
        } catch (SQLException alreadyRolledBack) {
            // SQLite ends the transaction itself after some failures; there is nothing left to undo
        }
    }

    private static void failAll(List<Pending<?>> group, Throwable why) {
        for (Pending<?> p : group) p.outcome.completeExceptionally(why);
    }

    /** The failure as the caller should see it: a fresh StoreUnavailable carries the caller's stack. */
    private static RuntimeException inCallersThread(Throwable t) {
        if (t instanceof StoreUnavailable su) return new StoreUnavailable(su.getMessage(), su);
        if (t instanceof CommitConflict c) return c;
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error err) throw err;
        return new IllegalStateException(t);
    }
}
