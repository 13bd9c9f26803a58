package io.walkerd.store.sqlite;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules that keep the document caches current (see {@link Coherence}), one race at a time. */
class CoherenceTest {
    private final DocumentCache<String> cache = new DocumentCache<>(1 << 20);
    private final Coherence coherence = new Coherence(List.of(cache));

    private static byte[] text(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void whatAReaderReadIsKeptWhenNothingWasCommittedMeanwhile() {
        long seen = coherence.generation();
        coherence.offer(seen, () -> cache.offer("a", text("{\"v\":1}"), "v1"));
        assertThat(cache.get("a").parsed).isEqualTo("v1");
    }

    @Test
    void aReadThatBeganBeforeACommitWasPublishedIsNotKept() {
        long seen = coherence.generation(); // the reader notes the generation, then reads version 1 from the file
        coherence.publish(List.of(() -> cache.put("a", text("{\"v\":2}")))); // meanwhile version 2 is committed
        coherence.offer(seen, () -> cache.offer("a", text("{\"v\":1}"), "v1"));
        assertThat(new String(cache.get("a").text, StandardCharsets.UTF_8)).isEqualTo("{\"v\":2}");
    }

    @Test
    void aDocumentDeletedWhileItWasReadIsNotBroughtBack() {
        cache.put("a", text("{\"v\":1}"));
        long seen = coherence.generation();
        coherence.publish(List.of(() -> cache.remove("a")));
        coherence.offer(seen, () -> cache.offer("a", text("{\"v\":1}"), "v1"));
        assertThat(cache.get("a")).isNull();
    }

    @Test
    void aReaderNeverReplacesWhatACommitPut() {
        coherence.publish(List.of(() -> cache.put("a", text("{\"v\":2}"))));
        long seen = coherence.generation();
        coherence.offer(seen, () -> cache.offer("a", text("{\"v\":1}"), "v1"));
        assertThat(new String(cache.get("a").text, StandardCharsets.UTF_8)).isEqualTo("{\"v\":2}");
        assertThat(cache.get("a").parsed).isNull(); // parsed by its first reader
    }

    @Test
    void forgettingEverythingEmptiesTheCachesAndRefusesReadsBegunBefore() {
        cache.put("a", text("{}"));
        long seen = coherence.generation();
        coherence.forgetAll();
        coherence.offer(seen, () -> cache.offer("b", text("{}"), "b"));
        assertThat(cache.get("a")).isNull();
        assertThat(cache.get("b")).isNull();
        assertThat(cache.size()).isZero();
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
