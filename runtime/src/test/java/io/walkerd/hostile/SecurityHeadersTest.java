package io.walkerd.hostile;

import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /docs} and every other page carry a Content-Security-Policy that forbids framing, nosniff and a referrer policy. */
class SecurityHeadersTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    static void assertHardened(Http.Response r) {
        String csp = r.header("Content-Security-Policy");
        assertThat(csp).as(r.toString()).contains("frame-ancestors 'none'");
        assertThat(csp.split(";\\s*")).as("only the server's own scripts run").contains("script-src 'self'");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
    }

    @Test
    void theDocsPageIsHardenedAndRunsNoInlineScript() {
        var page = http.get("/docs", null);
        assertHardened(page);
        assertThat(Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>").matcher(page.raw()).find()).as("an inline script").isFalse();
        assertThat(page.raw()).doesNotContain(" on").doesNotContain("javascript:");
        for (String asset : List.of("/docs/init.js", "/openapi.json")) assertHardened(http.get(asset, null));
    }

    @Test
    void apiRepliesAreHardenedToo() {
        assertHardened(http.get("/healthz", null));
        assertHardened(http.post("/user/login", Map.of("email", "a@example.com", "password", "x")));
        assertHardened(http.get("/no-such-page", null));
    }

    @Test
    void securityHeadersOffSendsNone() {
        try (TestServer off = TestServer.start(Map.of("SECURITY_HEADERS", "false"))) {
            var page = off.http().get("/docs", null);
            assertThat(page.header("Content-Security-Policy")).isNull();
            assertThat(page.header("X-Content-Type-Options")).isNull();
        }
    }
}
