package io.walkerd.websocket;

import io.walkerd.server.InsecureSettings;
import io.walkerd.testing.CapturedLogs;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The websocket plugin's protections that are off appear in the server's one start-up warning. */
class SocketStartupWarningTest {

    @Test
    void theOpenDefaultsAreNamedInTheWarning() {
        try (CapturedLogs logs = CapturedLogs.of(InsecureSettings.class);
             SocketServer s = SocketServer.start(Map.of())) {
            assertThat(logs.events()).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                    .contains("SOCKET_CLIENT_EVENTS=open", "SOCKET_ALLOWED_ORIGINS unset")
                    .doesNotContain("SOCKET_EVENTS_PER_SECOND", "SOCKET_MAX_TARGETS", "SOCKET_MAX_CONNECTIONS", "SOCKET_PRIVATE_PREFIX"));
        }
    }

    @Test
    void everyLimitTurnedOffIsNamed() {
        try (CapturedLogs logs = CapturedLogs.of(InsecureSettings.class);
             SocketServer s = SocketServer.start(Map.of("SOCKET_EVENTS_PER_SECOND", "0", "SOCKET_MAX_TARGETS", "0",
                     "SOCKET_MAX_CONNECTIONS_PER_IP", "0", "SOCKET_MAX_CONNECTIONS_PER_USER", "0", "SOCKET_PRIVATE_PREFIX", "none"))) {
            assertThat(logs.events()).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                    .contains("SOCKET_EVENTS_PER_SECOND=0", "SOCKET_MAX_TARGETS=0", "SOCKET_MAX_CONNECTIONS_PER_IP=0",
                            "SOCKET_MAX_CONNECTIONS_PER_USER=0", "SOCKET_PRIVATE_PREFIX=none"));
        }
    }

    @Test
    void anAdminTokenIsNamed() {
        try (CapturedLogs logs = CapturedLogs.of(InsecureSettings.class);
             SocketServer s = SocketServer.start(Map.of("SOCKET_CLIENT_EVENTS", "authenticated",
                     "SOCKET_ALLOWED_ORIGINS", "https://app.example.com", "ADMIN_TOKEN", "admin-token-0123456789abcdef0123456789"))) {
            assertThat(logs.events()).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                    .contains("ADMIN_TOKEN set (a shared token that never expires").doesNotContain("0123456789abcdef"));
        }
    }

    @Test
    void withEveryProtectionOnThereIsNoWarning() {
        try (CapturedLogs logs = CapturedLogs.of(InsecureSettings.class);
             SocketServer s = SocketServer.start(Map.of("SOCKET_CLIENT_EVENTS", "authenticated",
                     "SOCKET_ALLOWED_ORIGINS", "https://app.example.com"))) {
            assertThat(logs.events()).isEmpty();
        }
    }
}
