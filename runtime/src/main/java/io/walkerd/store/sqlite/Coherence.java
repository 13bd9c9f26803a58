package io.walkerd.store.sqlite;

import java.util.List;

/**
 * Keeps the {@link DocumentCache}s of a store current.
 *
 * <ul>
 *   <li>The writer thread, after each COMMIT and before answering the writes in it, {@link #publish}es what they
 *       changed: under one lock it counts a new generation and puts the committed texts, removes what was deleted.</li>
 *   <li>A reader that did not find a document notes the generation before its read of the database and
 *       {@link #offer}s what it read under the same lock, which keeps it only if no generation was published since:
 *       a document read before a commit can never overwrite what that commit put, nor bring back what it deleted.</li>
 *   <li>A commit by another process (another server on the same file, an {@code sqlite3} shell) is not published:
 *       the writer sees it by its connection's {@code PRAGMA data_version} before each transaction and, when idle,
 *       every {@link #WATCH_MS} ms, and then {@link #forgetAll}. Until then a read may still give what the file held
 *       before that commit; a write never builds on it unseen, because every update and delete checks the version in
 *       the file inside its transaction.</li>
 * </ul>
 */
final class Coherence {
    /** How often the writer, when it has nothing to write, looks for commits of other processes. */
    static final long WATCH_MS = 100;

    private final Object lock = new Object();
    private final List<DocumentCache<?>> caches;
    private volatile long generation;

    Coherence(List<DocumentCache<?>> caches) { this.caches = List.copyOf(caches); }

    /** The generation a reader notes before it reads the database. */
    long generation() { return generation; }

    /** Runs {@code keep} (which offers what was read) only if no generation was published since {@code seen}. */
    void offer(long seen, Runnable keep) {
        synchronized (lock) {
            if (generation == seen) keep.run();
        }
    }

    /** A new generation: what committed transactions changed, applied to the caches at once. */
    void publish(List<Runnable> changes) {
        if (changes.isEmpty()) return;
        synchronized (lock) {
            generation++;
            for (Runnable c : changes) c.run();
        }
    }

    /** A new generation in which nothing is kept: after a commit whose effects are not known one by one. */
    void forgetAll() {
        synchronized (lock) {
            generation++;
            for (DocumentCache<?> c : caches) c.clear();
        }
    }
}
