package io.walkerd.hostile;

import io.walkerd.testing.Http;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /user/login} is throttled per email (10 failures per 15 minutes by default) and per client address: a
 * guesser is answered 429 with {@code Retry-After} before any password is checked, the right password included.
 * Behind a trusted proxy the address is the one {@code X-Forwarded-For} names; from anyone else the header is
 * ignored.
 */
class LoginThrottleTest {
    static final int PER_ADDRESS = 1000;
    static TestServer server;
    static TestServer behindProxy;
    static Http http;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("LOGIN_FAILURES_PER_ADDRESS", String.valueOf(PER_ADDRESS)));
        behindProxy = TestServer.start(Map.of("LOGIN_FAILURES_PER_ADDRESS", "3", "TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1"));
        http = server.http();
    }

    @AfterAll
    static void stop() {
        server.close();
        behindProxy.close();
    }

    static String register(Http http) {
        String email = "t" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
        assertThat(http.post("/user/register", Map.of("email", email, "password", "right-password")).status()).isEqualTo(201);
        return email;
    }

    static Http.Response login(Http http, String email, String password, Map<String, String> headers) {
        return http.send("POST", "/user/login", Map.of("email", email, "password", password), null, headers);
    }

    @Test
    void nineFailuresThenTheRightPasswordLogsIn() {
        String email = register(http);
        for (int i = 0; i < 9; i++) assertThat(login(http, email, "guess-" + i, Map.of()).status()).isEqualTo(400);
        assertThat(login(http, email, "right-password", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void afterTenFailuresEvenTheRightPasswordIs429WithRetryAfter() {
        String email = register(http);
        for (int i = 0; i < 10; i++) assertThat(login(http, email, "guess-" + i, Map.of()).status()).isEqualTo(400);
        var refused = login(http, email, "right-password", Map.of());
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body().get("message").asText()).startsWith("Too many failed logins");
        // one token comes back every 15 min / 10 = 90 s
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 90L);
        // the email is throttled whatever its case
        assertThat(login(http, email.toUpperCase(), "right-password", Map.of()).status()).isEqualTo(429);
    }

    @Test
    void aThrottledGuessIsAnsweredWithoutHashing() {
        String email = register(http);
        List<Long> checked = new ArrayList<>();
        List<Long> throttled = new ArrayList<>();
        for (int i = 0; i < 10; i++) checked.add(timed(() -> assertThat(login(http, email, "wrong-guess", Map.of()).status()).isEqualTo(400)));
        for (int i = 0; i < 10; i++) throttled.add(timed(() -> assertThat(login(http, email, "guess", Map.of()).status()).isEqualTo(429)));
        Collections.sort(checked);
        Collections.sort(throttled);
        // a PBKDF2 check of 25,000 rounds takes tens of milliseconds; a refusal takes a fraction of that
        assertThat(throttled.get(5)).as("median ns of a throttled guess vs a checked one (%s)", checked.get(5)).isLessThan(checked.get(5) / 3);
    }

    private static long timed(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return System.nanoTime() - start;
    }

    @Test
    void successfulLoginsDoNotCountAsFailures() {
        String email = register(http);
        for (int i = 0; i < 15; i++) assertThat(login(http, email, "right-password", Map.of()).status()).isEqualTo(200);
        assertThat(login(http, email, "guess", Map.of()).status()).isEqualTo(400);
    }

    @Test
    void unknownEmailsAreThrottledLikeKnownOnes() {
        String nobody = "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        for (int i = 0; i < 10; i++) assertThat(login(http, nobody, "guess-" + i, Map.of()).status()).isEqualTo(400);
        assertThat(login(http, nobody, "guess", Map.of()).status()).isEqualTo(429);
    }

    @Test
    void oneAddressGuessingAcrossManyEmailsIsThrottled() {
        // a server of its own: this test spends the address's whole budget
        try (TestServer own = TestServer.start(Map.of("LOGIN_FAILURES_PER_ADDRESS", "5"))) {
            Http h = own.http();
            for (int i = 0; i < 5; i++) {
                assertThat(login(h, "someone" + i + "@example.com", "guess", Map.of()).status()).isEqualTo(400);
            }
            var refused = login(h, "someone-else@example.com", "guess", Map.of());
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isNotNull();
        }
    }

    @Test
    void behindATrustedProxyEachForwardedAddressHasItsOwnBudget() {
        Http h = behindProxy.http();
        Map<String, String> mallory = Map.of("X-Forwarded-For", "203.0.113.7");
        Map<String, String> alice = Map.of("X-Forwarded-For", "198.51.100.1, 10.1.2.3");
        for (int i = 0; i < 3; i++) assertThat(login(h, "m" + i + "@example.com", "guess", mallory).status()).isEqualTo(400);
        assertThat(login(h, "m9@example.com", "guess", mallory).status()).isEqualTo(429);
        // alice passed through two trusted proxies (10.1.2.3, then the peer 127.0.0.1): her own address counts
        assertThat(login(h, "a@example.com", "guess", alice).status()).isEqualTo(400);
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() {
        // server trusts no proxy: every request is the peer 127.0.0.1, whatever the header claims
        try (TestServer own = TestServer.start(Map.of("LOGIN_FAILURES_PER_ADDRESS", "3"))) {
            Http h = own.http();
            for (int i = 0; i < 3; i++) {
                var r = login(h, "x" + i + "@example.com", "guess", Map.of("X-Forwarded-For", "192.0.2." + i));
                assertThat(r.status()).isEqualTo(400);
            }
            assertThat(login(h, "x9@example.com", "guess", Map.of("X-Forwarded-For", "192.0.2.99")).status()).isEqualTo(429);
        }
    }

    @Test
    void throttlingOffLetsEveryGuessThrough() {
        try (TestServer open = TestServer.start(Map.of("LOGIN_FAILURES_PER_EMAIL", "0", "LOGIN_FAILURES_PER_ADDRESS", "0"))) {
            Http h = open.http();
            String email = register(h);
            for (int i = 0; i < 30; i++) assertThat(login(h, email, "guess-" + i, Map.of()).status()).isEqualTo(400);
            assertThat(login(h, email, "right-password", Map.of()).status()).isEqualTo(200);
        }
    }
}
