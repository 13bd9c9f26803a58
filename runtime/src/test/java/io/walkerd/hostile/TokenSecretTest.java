package io.walkerd.hostile;

import io.walkerd.server.WalkerdServer;
import io.walkerd.testing.CapturedLogs;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A short {@code TOKEN_SECRET} can be found offline from one token (then any token can be forged): the server
 * refuses to start with one shorter than 32 characters, and warns when none is set.
 */
class TokenSecretTest {

    @Test
    void aSecretOf31CharactersRefusesToStartNamingTheVariable() {
        assertThatThrownBy(() -> TestServer.start(Map.of("TOKEN_SECRET", "s".repeat(31))).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TOKEN_SECRET").hasMessageContaining("32");
    }

    @Test
    void aOneCharacterSecretRefusesToStart() {
        assertThatThrownBy(() -> TestServer.start(Map.of("TOKEN_SECRET", "a")).close()).hasMessageContaining("TOKEN_SECRET");
    }

    @Test
    void aSecretOf32CharactersStartsAndSignsTokens() {
        try (TestServer s = TestServer.start(Map.of("TOKEN_SECRET", "s".repeat(32)))) {
            assertThat(s.http().newToken()).isNotBlank();
        }
    }

    @Test
    void noSecretStartsWithAWarning() {
        try (CapturedLogs logs = CapturedLogs.of(WalkerdServer.class);
             TestServer s = TestServer.start(Map.of("TOKEN_SECRET", ""))) {
            assertThat(s.http().newToken()).isNotBlank();
            assertThat(logs.events()).anySatisfy(e -> {
                assertThat(e.getLevel().toString()).isEqualTo("WARN");
                assertThat(e.getFormattedMessage()).startsWith("TOKEN_SECRET is not set");
            });
        }
    }
}
