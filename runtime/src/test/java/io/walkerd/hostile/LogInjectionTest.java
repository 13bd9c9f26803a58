package io.walkerd.hostile;

import io.walkerd.http.ErrorReplies;
import io.walkerd.testing.CapturedLogs;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import io.walkerd.walker.WalkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Text a client sent reaches the log escaped: a newline in it cannot start a forged log line. */
class LogInjectionTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();
    static final String FORGED = "oops\n12:00:00.000 INFO  [main] i.w.server.WalkerdServer - admin logged in\r\u2028done";

    @Test
    void aWalkerErrorQuotingTheClientIsLoggedOnOneLine() {
        try (CapturedLogs logs = CapturedLogs.of(WalkerRunner.class)) {
            assertThat(http.post("/walker/fail_with", Map.of("message", FORGED, "status", 400)).status()).isEqualTo(400);
            assertThat(logs.printed()).anySatisfy(line -> assertThat(line).contains("oops\\n12:00:00.000 INFO"));
            assertThat(logs.printed()).allSatisfy(line -> assertThat(line).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u2028"));
        }
    }

    @Test
    void anUnexpectedFailureQuotingTheClientIsLoggedOnOneLineWithItsStack() {
        try (CapturedLogs logs = CapturedLogs.of(ErrorReplies.class, WalkerRunner.class)) {
            assertThat(http.post("/walker/fail_with", Map.of("message", FORGED)).status()).isEqualTo(500);
            assertThat(logs.printed()).anySatisfy(line -> assertThat(line).contains("java.lang.IllegalStateException: oops\\n12:00")
                    .contains("HostileWalkers$FailWith.fail"));
            assertThat(logs.printed()).allSatisfy(line -> assertThat(line).doesNotContain("\n").doesNotContain("\r"));
        }
    }
}
