package io.walkerd.store.sqlite;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules that keep the document caches current (see {@link Coherence}), one race at a time. */
class CoherenceTest {
    /** A file's header as stamps: commit {@code n} of the file is stamp {@code n << 32 | n}. */
    private final AtomicLong commits = new AtomicLong(1);
    private final DocumentCache<String> cache = new DocumentCache<>(1 << 20);
    private final Coherence coherence = new Coherence(List.of(cache), () -> stampOf(commits.get()));

    private static long stampOf(long commit) { return commit << 32 | commit; }

    private static byte[] text(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private String kept(String id) {
        DocumentCache.Entry<String> e = cache.get(id);
        return e == null ? null : new String(e.text, StandardCharsets.UTF_8);
    }

    /** This store's writer commits {@code changes}, as GroupCommitWriter does. */
    private void ourCommit(Runnable... changes) {
        long before = coherence.stamp();
        coherence.sync(before);
        commits.incrementAndGet();
        coherence.committed(before, coherence.stamp(), List.of(changes));
    }

    @Test
    void whatAReaderReadIsKeptWhenNothingWasCommittedMeanwhile() {
        long stamp = coherence.stamp(), seen = coherence.generation();
        assertThat(coherence.current(stamp)).isTrue();
        coherence.offer(seen, stamp, () -> cache.offer("a", text("v1"), "v1"));
        assertThat(cache.get("a").parsed).isEqualTo("v1");
    }

    @Test
    void aReadThatBeganBeforeOurCommitWasPublishedIsNotKept() {
        long stamp = coherence.stamp(), seen = coherence.generation(); // the reader reads version 1 from the file
        ourCommit(() -> cache.put("a", text("v2")));                   // meanwhile version 2 is committed
        coherence.offer(seen, stamp, () -> cache.offer("a", text("v1"), "v1"));
        assertThat(kept("a")).isEqualTo("v2");
    }

    @Test
    void aDocumentDeletedWhileItWasReadIsNotBroughtBack() {
        ourCommit(() -> cache.put("a", text("v1")));
        long stamp = coherence.stamp(), seen = coherence.generation();
        ourCommit(() -> cache.remove("a"));
        coherence.offer(seen, stamp, () -> cache.offer("a", text("v1"), "v1"));
        assertThat(kept("a")).isNull();
    }

    @Test
    void aReaderNeverReplacesWhatOurCommitPut() {
        ourCommit(() -> cache.put("a", text("v2")));
        long stamp = coherence.stamp(), seen = coherence.generation();
        coherence.offer(seen, stamp, () -> cache.offer("a", text("v1"), "v1"));
        assertThat(kept("a")).isEqualTo("v2");
        assertThat(cache.get("a").parsed).isNull(); // parsed by its first reader
    }

    @Test
    void anotherProcessesCommitStopsEveryReadFromTheCacheAtOnce() {
        ourCommit(() -> cache.put("a", text("v1")));
        commits.incrementAndGet(); // another process commits: nothing is published here
        assertThat(coherence.current(coherence.stamp())).isFalse();
        // nor is what a reader read then kept
        long stamp = coherence.stamp(), seen = coherence.generation();
        coherence.offer(seen, stamp, () -> cache.offer("b", text("b"), "b"));
        assertThat(kept("b")).isNull();
        // the writer's next look forgets everything and serves again from the new stamp
        coherence.sync(coherence.stamp());
        assertThat(kept("a")).isNull();
        assertThat(coherence.current(coherence.stamp())).isTrue();
    }

    @Test
    void aCommitOfAnotherProcessRightAfterOursForgetsInsteadOfApplying() {
        ourCommit(() -> cache.put("a", text("v1")));
        long before = coherence.stamp();
        coherence.sync(before);
        commits.addAndGet(2); // ours, then another process's before the writer looked
        coherence.committed(before, coherence.stamp(), List.of(() -> cache.put("a", text("v2"))));
        assertThat(kept("a")).isNull();
        assertThat(coherence.current(coherence.stamp())).isTrue();
    }

    @Test
    void anUnreadableHeaderMeansNoReadFromTheCache() {
        Coherence blind = new Coherence(List.of(cache), () -> WalHeader.UNKNOWN);
        assertThat(blind.current(blind.stamp())).isFalse();
    }

    @Test
    void oneCommitApartIsJudgedByTheCommitCounterAlone() {
        assertThat(WalHeader.oneCommitApart(stampOf(7), 8L << 32)).isTrue(); // a WAL restart resets the frame
        assertThat(WalHeader.oneCommitApart(stampOf(7), stampOf(9))).isFalse();
        assertThat(WalHeader.oneCommitApart(stampOf(7), stampOf(7))).isFalse();
        assertThat(WalHeader.oneCommitApart(0xffffffffL << 32, 0)).isTrue(); // the counter wraps
        assertThat(WalHeader.oneCommitApart(WalHeader.UNKNOWN, stampOf(1))).isFalse();
    }

    @Test
    void aCacheWithoutBudgetKeepsNothing() {
        DocumentCache<String> none = new DocumentCache<>(0);
        none.offer("a", text("{}"), "a");
        none.put("b", text("{}"));
        assertThat(none.get("a")).isNull();
        assertThat(none.get("b")).isNull();
    }
}
