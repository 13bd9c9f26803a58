package io.walkerd.store.sqlite;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The current text of documents by id, each parsed at most once: what a read by id takes instead of asking the
 * database. What it holds is current as of one commit of the file because of how it is filled and used (see
 * {@link Coherence}): the writer thread puts the text it has just committed, and removes what it deleted, before the
 * write's caller is answered; a reader puts what it read only when nothing was published since before its read
 * began; and it is read only while the file's last commit is the one it is current for.
 *
 * <p>Bounded by the total length of the texts it keeps; past that, entries are dropped (in no particular order)
 * until a quarter of the budget is free: a dropped entry only costs its next reader a database read. What it holds
 * must not be changed by whoever gets it: the records are immutable, and their trees (access, fields) are only read.
 */
final class DocumentCache<T> {
    /** A document's text, and the record it reads as once someone has parsed it (racing parsers agree). */
    static final class Entry<T> {
        final byte[] text;
        volatile T parsed;

        Entry(byte[] text, T parsed) {
            this.text = text;
            this.parsed = parsed;
        }
    }

    private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final long budget;

    /** @param budget the most text to keep, in bytes (0: keep nothing) */
    DocumentCache(long budget) { this.budget = budget; }

    /** The current document under {@code id}; null when it is not kept (which says nothing of the database). */
    Entry<T> get(String id) { return entries.get(id); }

    /** Keeps what a reader read, unless the id has an entry already (only under {@link Coherence#offer}). */
    void offer(String id, byte[] text, T parsed) {
        if (!fits(text)) return;
        if (entries.putIfAbsent(id, new Entry<>(text, parsed)) == null) grew(text.length);
    }

    /** Keeps the text just committed under {@code id}, replacing any (only under {@link Coherence#publish}). */
    void put(String id, byte[] text) {
        if (!fits(text)) {
            remove(id);
            return;
        }
        Entry<T> old = entries.put(id, new Entry<>(text, null));
        grew(text.length - (old == null ? 0 : old.text.length));
    }

    /** Forgets {@code id} (deleted, or changed in a way not worth keeping). */
    void remove(String id) {
        Entry<T> old = entries.remove(id);
        if (old != null) bytes.addAndGet(-old.text.length);
    }

    /** Forgets everything. */
    void clear() { dropUntil(-1); }

    /** One document never takes a large share. */
    private boolean fits(byte[] text) { return text.length <= budget / 16; }

    private void grew(long by) {
        if (bytes.addAndGet(by) > budget) shrink();
    }

    private void shrink() { dropUntil(budget - budget / 4); }

    /** Drops entries (in no particular order) until at most {@code target} bytes of text are kept. */
    private synchronized void dropUntil(long target) {
        for (Iterator<Map.Entry<String, Entry<T>>> it = entries.entrySet().iterator(); it.hasNext() && bytes.get() > target; ) {
            Map.Entry<String, Entry<T>> e = it.next();
            if (entries.remove(e.getKey(), e.getValue())) bytes.addAndGet(-e.getValue().text.length);
        }
    }

    /** How much text is kept, in bytes: for tests. */
    long size() { return bytes.get(); }
}
