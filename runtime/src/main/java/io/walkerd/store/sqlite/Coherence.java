package io.walkerd.store.sqlite;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Keeps the {@link DocumentCache}s of a store current, for readers in this process and whatever else writes the
 * file (another server on the same file, an {@code sqlite3} shell).
 *
 * <p>The caches are current at one point of the file's history, {@link #valid}: a {@link WalHeader#stamp} of the
 * last commit. A reader takes documents from them only when the file's stamp is that one, so no commit has
 * happened since; otherwise it reads the database and keeps nothing. The stamp moves in two ways:
 * <ul>
 *   <li>This store's writer, holding the write lock, {@link #sync}s first (a stamp other than the valid one means
 *       another process committed: everything kept is forgotten); after its COMMIT, and before answering the writes in
 *       it, it tells {@link #committed}: if the file moved by exactly that one commit, its changes (texts put,
 *       deletions dropped) are applied and the new stamp becomes valid; if anything else happened too, everything is
 *       forgotten instead.</li>
 *   <li>While idle, the writer {@link #sync}s every {@link #WATCH_MS} ms, so that after another process's commit the
 *       caches serve again soon (until then readers only read the database).</li>
 * </ul>
 * A reader that did not find a document notes the generation before reading the database and {@link #offer}s what
 * it read under the same lock as the writer's changes: kept only if nothing was published or forgotten since and the
 * stamp it read at is still the valid one, so a read that raced a commit can never put an older document back.
 *
 * <p>An in-memory database has no other connection and no header: its stamp is always 0, and every commit's changes
 * are applied.
 */
final class Coherence {
    /** How often the writer, when it has nothing to write, looks for commits of other processes. */
    static final long WATCH_MS = 100;

    private final Object lock = new Object();
    private final List<DocumentCache<?>> caches;
    /** The file's stamp now; null for an in-memory database (always 0). */
    private final LongSupplier header;
    private volatile long generation;
    private volatile long valid;

    /** @param header the file's {@link WalHeader#stamp}; null for an in-memory database */
    Coherence(List<DocumentCache<?>> caches, LongSupplier header) {
        this.caches = List.copyOf(caches);
        this.header = header;
        this.valid = stamp();
    }

    /** True for a file, which other processes may write: the writer then {@link #sync}s while idle. */
    boolean watches() { return header != null; }

    /** The file's stamp now ({@link WalHeader#UNKNOWN} when it cannot be told). */
    long stamp() { return header == null ? 0 : header.getAsLong(); }

    /** True when documents may be taken from the caches by a reader that read {@code stamp} just now. */
    boolean current(long stamp) { return stamp != WalHeader.UNKNOWN && stamp == valid; }

    /** The generation a reader notes before it reads the database. */
    long generation() { return generation; }

    /**
     * Runs {@code keep} (which offers what was read) only if nothing was published or forgotten since
     * {@code seenGeneration}, and {@code stamp} (read before the read) is still the valid one.
     */
    void offer(long seenGeneration, long stamp, Runnable keep) {
        synchronized (lock) {
            if (generation == seenGeneration && current(stamp)) keep.run();
        }
    }

    /**
     * On the writer thread, with the write lock held or with nothing to write: the file at {@code stamp} is not the
     * state the caches hold (another process committed), so they start again from it.
     */
    void sync(long stamp) {
        if (stamp != WalHeader.UNKNOWN && stamp == valid) return;
        forget(stamp);
    }

    /**
     * On the writer thread after a COMMIT: {@code before} was the stamp when its transaction began (after
     * {@link #sync}), {@code after} is the stamp now. One commit apart: the transaction's {@code changes} are applied
     * and {@code after} is valid. Anything else (another process committed right after it, or the header could not be
     * read): everything is forgotten, valid from {@code after}.
     */
    void committed(long before, long after, List<Runnable> changes) {
        boolean ours = header == null || (before == valid && WalHeader.oneCommitApart(before, after));
        if (!ours && before == after && changes.isEmpty()) return; // nothing was written
        synchronized (lock) {
            generation++;
            if (ours) {
                for (Runnable c : changes) c.run();
            } else {
                clearCaches();
            }
            valid = after;
        }
    }

    /** A new generation in which nothing is kept, valid from {@code stamp}. */
    void forget(long stamp) {
        synchronized (lock) {
            generation++;
            clearCaches();
            valid = stamp;
        }
    }

    /** Empties every cache: under the lock, here or as one of a commit's changes (a reset, an import). */
    void clearCaches() {
        for (DocumentCache<?> c : caches) c.clear();
    }
}
