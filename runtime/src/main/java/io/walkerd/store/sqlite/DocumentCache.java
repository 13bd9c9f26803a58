package io.walkerd.store.sqlite;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Documents as parsed, by id, each with the exact text it was parsed from: a read that finds the very same bytes
 * in the database again takes the parsed record instead of parsing them once more. Always coherent, whatever
 * writes the file (this process, another instance, an {@code sqlite3} shell): a document is taken from here only
 * when its stored text is byte for byte the one it was parsed from, and the database is read every time.
 *
 * <p>Bounded by the total length of the texts it keeps; past that, entries are dropped (in no particular order)
 * until a quarter of the budget is free. What it holds must not be changed by whoever gets it: the records are
 * immutable, and their trees (access, fields) are only ever read.
 */
final class DocumentCache<T> {
    private record Entry<T>(byte[] text, T parsed) {}

    private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final long budget;

    /** @param budget the most text to keep, in bytes (0: keep nothing) */
    DocumentCache(long budget) { this.budget = budget; }

    /** The record parsed from exactly {@code text} under {@code id}; null when there is none. */
    T get(String id, byte[] text) {
        Entry<T> e = entries.get(id);
        return e != null && Arrays.equals(e.text, text) ? e.parsed : null;
    }

    /** Keeps {@code parsed} as what {@code text} (which must not change) reads as. */
    void put(String id, byte[] text, T parsed) {
        if (text.length > budget / 16) return; // one document never takes a large share
        Entry<T> old = entries.put(id, new Entry<>(text, parsed));
        long now = bytes.addAndGet(text.length - (old == null ? 0 : old.text.length));
        if (now > budget) shrink();
    }

    private synchronized void shrink() {
        long target = budget - budget / 4;
        for (Iterator<Map.Entry<String, Entry<T>>> it = entries.entrySet().iterator(); it.hasNext() && bytes.get() > target; ) {
            Map.Entry<String, Entry<T>> e = it.next();
            if (entries.remove(e.getKey(), e.getValue())) bytes.addAndGet(-e.getValue().text.length);
        }
    }

    /** How much text is kept, in bytes: for tests. */
    long size() { return bytes.get(); }
}
