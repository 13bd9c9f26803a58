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
    static final int TRIES = 61;

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
            // pairs taken back to back, in alternating order: the machine's other work changes between pairs
            // more than within one, so each pair's ratio, and the median of those, sees through it
            List<Long> knownTimes = new ArrayList<>();
            List<Long> unknownTimes = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < TRIES; i++) {
                long k, u;
                if (i % 2 == 0) {
                    k = timeLogin(http, known);
                    u = timeLogin(http, "nobody-" + i + "@example.com");
                } else {
                    u = timeLogin(http, "nobody-" + i + "@example.com");
                    k = timeLogin(http, known);
                }
                knownTimes.add(k);
                unknownTimes.add(u);
                ratios.add((double) u / k);
            }
            double ratio = median(ratios);
            System.out.printf("login timing: known email, wrong password %.2f ms; unknown email %.2f ms (medians of %d); "
                    + "median ratio of back-to-back pairs %.3f%n", median(knownTimes) / 1e6, median(unknownTimes) / 1e6, TRIES, ratio);
            assertThat(ratio).as("unknown / known login time").isBetween(0.8, 1.2);
        }
    }

    private static long timeLogin(Http http, String email) {
        long start = System.nanoTime();
        Http.Response r = http.post("/user/login", Map.of("email", email, "password", "wrong-password"));
        long took = System.nanoTime() - start;
        assertThat(r.status()).isEqualTo(400);
        return took;
    }

    private static <T extends Comparable<T>> T median(List<T> values) {
        List<T> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
