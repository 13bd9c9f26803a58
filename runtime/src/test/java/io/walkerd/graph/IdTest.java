package io.walkerd.graph;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class IdTest {
    @Test
    void freshIdsStartWithTheirTimeInSecondsAsAnObjectIdDoes() {
        long before = System.currentTimeMillis() / 1000;
        Id id = Id.fresh();
        long after = System.currentTimeMillis() / 1000;
        long seconds = Long.parseLong(id.hex().substring(0, 8), 16);
        assertThat(seconds).isBetween(before, after);
        assertThat(id.hex()).matches("[0-9a-f]{24}");
    }

    @Test
    void freshIdsMadeInLaterMillisecondsSortLater() throws InterruptedException {
        List<Id> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(Id.fresh());
            long now = System.currentTimeMillis();
            while (System.currentTimeMillis() < now + 2) Thread.onSpinWait(); // the next one two milliseconds on at least
        }
        assertThat(ids).isSortedAccordingTo(Id::compareTo);
    }

    @Test
    void freshIdsOfOneMillisecondDifferInTheirRandomPart() {
        Set<String> seen = new HashSet<>();
        Set<String> tails = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            Id id = Id.fresh();
            assertThat(seen.add(id.hex())).as("ids are unique").isTrue();
            tails.add(id.hex().substring(12));
        }
        // six random bytes: 100,000 draws from 2^48 values repeat with a probability of about 2e-5
        assertThat(tails).hasSize(100_000);
    }
}
