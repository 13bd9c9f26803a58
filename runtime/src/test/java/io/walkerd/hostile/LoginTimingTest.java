package io.walkerd.hostile;

import io.walkerd.testing.Http;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A login does not tell by its speed whether an email is registered: a wrong password for a known email and any
 * password for an unknown one cost the same (the unknown one is checked against a decoy hash). Measured over real
 * HTTP, interleaved, as medians of many tries so that the other work on the machine evens out.
 */
class LoginTimingTest {
    static final int TRIES = 41;

    @Test
    void unknownEmailTakesAsLongAsAWrongPasswordWithinTwentyPercent() {
        // no throttling here: this test makes many failed logins on purpose
        try (TestServer server = TestServer.start(Map.of("LOGIN_FAILURES_PER_EMAIL", "0", "LOGIN_FAILURES_PER_ADDRESS", "0"))) {
            Http http = server.http();
            String known = "known-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
            assertThat(http.post("/user/register", Map.of("email", known, "password", "the-password")).status()).isEqualTo(201);
            for (int i = 0; i < 10; i++) { // warm up both paths
                timeLogin(http, known);
                timeLogin(http, "warm-" + i + "@example.com");
            }
            List<Long> knownTimes = new ArrayList<>();
            List<Long> unknownTimes = new ArrayList<>();
            for (int i = 0; i < TRIES; i++) {
                if (i % 2 == 0) {
                    knownTimes.add(timeLogin(http, known));
                    unknownTimes.add(timeLogin(http, "nobody-" + i + "@example.com"));
                } else {
                    unknownTimes.add(timeLogin(http, "nobody-" + i + "@example.com"));
                    knownTimes.add(timeLogin(http, known));
                }
            }
            double knownMedian = median(knownTimes) / 1e6;
            double unknownMedian = median(unknownTimes) / 1e6;
            double ratio = unknownMedian / knownMedian;
            System.out.printf("login timing: known email, wrong password %.2f ms; unknown email %.2f ms (median of %d); ratio %.3f%n",
                    knownMedian, unknownMedian, TRIES, ratio);
            assertThat(ratio).as("unknown / known median login time").isBetween(0.8, 1.2);
        }
    }

    private static long timeLogin(Http http, String email) {
        long start = System.nanoTime();
        Http.Response r = http.post("/user/login", Map.of("email", email, "password", "wrong-password"));
        long took = System.nanoTime() - start;
        assertThat(r.status()).isEqualTo(400);
        return took;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
