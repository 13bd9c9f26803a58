package io.walkerd.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Copies committed pages from the WAL into the database file on a thread and connection of its own, so that the
 * one writer thread only ever appends to the WAL.
 *
 * <p>Left to SQLite, the connection that commits runs the checkpoint itself whenever the WAL passes 1,000 pages
 * (4 MiB): it copies every page written since into the database file and syncs that file, inside the COMMIT, while
 * every other write waits in the queue. On a store of 100,000 nodes each write of {@code bench_node} dirties about
 * nine pages far apart in the indexes, so that happened nearly at every group commit. Here the writer's own
 * checkpoints only start past {@link #WRITER_PAGES} (a safety net), and this thread runs a PASSIVE checkpoint, which
 * waits for no reader and no writer, while commits come in: about every {@link #TARGET_PAGES} new pages.
 *
 * <p>The WAL starts again from its beginning only when a write finds every frame copied, which under a steady stream
 * of writes a checkpoint beside them never leaves: once a checkpoint here finds more than {@link #RESTART_PAGES}
 * pages in the WAL, the writer runs a RESTART checkpoint itself between two transactions
 * ({@link #restartWanted}), which has little left to copy by then, and the WAL starts again. So the WAL stays
 * within a few times that size (and {@code journal_size_limit} trims the file).
 *
 * <p>What is committed is as durable as before: a commit is in the WAL when it returns (and synced there with
 * {@code sync=full}); a checkpoint only moves it.
 */
final class Checkpointer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);
    /** Pages in the WAL past which the committing connection checkpoints after all (about 128 MiB). */
    static final int WRITER_PAGES = 32_000;
    /** About how many new pages each checkpoint here should find (SQLite's own default checkpoints every 1,000). */
    static final int TARGET_PAGES = 1_000;
    /** The shortest and longest wait between two checkpoints while writes come in. */
    static final long MIN_WAIT_MS = 50, MAX_WAIT_MS = 2_000;
    /** Pages in the WAL past which the writer restarts it (32 MiB of 4 KiB pages). */
    static final int RESTART_PAGES = 8_000;
    /** How long the writer's RESTART waits for readers of the WAL, in milliseconds, before it gives up for now. */
    static final int RESTART_WAIT_MS = 50;

    private final Session session;
    private final Thread thread;
    private volatile boolean committed;
    private volatile boolean closed;
    private volatile boolean restart;
    /** Pages past which the writer is asked to restart the WAL: doubled after each failed try, reset after success. */
    private volatile long restartAt = RESTART_PAGES;

    Checkpointer(Session session, String threadName) {
        this.session = session;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Told by the writer after each commit: the WAL has grown. Cheap (a flag, and a wake-up when asleep). */
    void committed() {
        if (!committed) {
            committed = true;
            LockSupport.unpark(thread);
        }
    }

    /**
     * After a commit, waits a while, then checkpoints; the wait adapts so that each checkpoint finds about
     * {@link #TARGET_PAGES} new pages (a checkpoint syncs the file: a few large ones cost less than many small ones).
     */
    private void run() {
        long waitMs = MIN_WAIT_MS;
        long lastPages = 0;
        while (!closed) {
            if (!committed || restart) { // (while the writer is to restart the WAL, its checkpoint must not meet this one)
                LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
                if (!committed && !restart) waitMs = MIN_WAIT_MS; // idle: the next writes may come at any rate
                continue;
            }
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
            for (long left; !closed && (left = until - System.nanoTime()) > 0; ) LockSupport.parkNanos(this, left); // commits do not cut it short
            if (closed) break;
            committed = false;
            try {
                // busy (0/1), pages in the WAL, pages copied into the file
                String[] outcome = session.row("PRAGMA wal_checkpoint(PASSIVE)");
                long pages = outcome == null || outcome.length < 2 ? 0 : Long.parseLong(outcome[1]);
                long grown = pages >= lastPages ? pages - lastPages : pages; // fewer: the WAL started again meanwhile
                lastPages = pages;
                // the wait that would have found about TARGET_PAGES at the rate just seen (at most doubled at once)
                waitMs = Math.max(MIN_WAIT_MS, Math.min(Math.min(MAX_WAIT_MS, 2 * waitMs), waitMs * TARGET_PAGES / Math.max(1, grown)));
                if (pages > restartAt) restart = true;
                // readers held some pages back: try again after the next wait, even if no commit comes meanwhile
                if (outcome != null && outcome.length > 2 && (!"0".equals(outcome[0]) || Long.parseLong(outcome[2]) < pages)) {
                    committed = true;
                }
            } catch (SQLException | NumberFormatException e) {
                // the writer's own checkpoints are still there past WRITER_PAGES; try again after the next commit
                log.warn("background checkpoint failed: {}", e.getMessage());
            }
        }
    }

    /**
     * True when the WAL has grown past {@link #RESTART_PAGES}: the writer then runs
     * {@code PRAGMA wal_checkpoint(RESTART)} before its next transaction, and says {@link #restartTried}. Meanwhile
     * this thread runs no checkpoint (two checkpoints at once: one of them fails at once).
     */
    boolean restartWanted() { return restart; }

    /**
     * The writer tried to restart the WAL ({@code done}: and did): this thread takes over again. After a failure
     * (readers on the WAL all the while: a long export) the next try waits for twice as many pages, so that the
     * writer is not held up again and again.
     */
    void restartTried(boolean done) {
        restartAt = done ? RESTART_PAGES : Math.min(2 * restartAt, WRITER_PAGES);
        restart = false;
        LockSupport.unpark(thread);
    }

    /** Stops the thread (a checkpoint under way finishes first); the session stays open (the caller closes it). */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        Threads.joinUninterruptibly(thread);
    }
}
