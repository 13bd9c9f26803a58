package io.walkerd.hostile;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.walkerd.server.InsecureSettings;
import io.walkerd.testing.CapturedLogs;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With a protection turned off, the server says so once at start-up: one warning line naming each insecure setting. */
class StartupWarningTest {

    @Test
    void eachInsecureSettingIsNamedInOneWarningLine() {
        try (CapturedLogs logs = CapturedLogs.of(InsecureSettings.class);
             TestServer s = TestServer.start(Map.of("LOGIN_FAILURES_PER_EMAIL", "0", "LOGIN_FAILURES_PER_ADDRESS", "0",
                     "PASSWORD_MIN_LENGTH", "6", "SECURITY_HEADERS", "false"))) {
            List<ILoggingEvent> warnings = logs.events();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0).getLevel().toString()).isEqualTo("WARN");
            assertThat(warnings.get(0).getFormattedMessage()).startsWith("insecure settings in force: ")
                    .contains("LOGIN_FAILURES_PER_EMAIL=0", "LOGIN_FAILURES_PER_ADDRESS=0", "PASSWORD_MIN_LENGTH=6", "SECURITY_HEADERS=false")
                    .doesNotContain("\n");
        }
    }

    @Test
    void theRuntimesDefaultsAreNotInsecure() {
        try (CapturedLogs logs = CapturedLogs.of(InsecureSettings.class);
             TestServer s = TestServer.start(Map.of())) {
            assertThat(logs.events()).isEmpty();
        }
    }
}
