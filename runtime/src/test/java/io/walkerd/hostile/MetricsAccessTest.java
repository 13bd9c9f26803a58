package io.walkerd.hostile;

import io.walkerd.metrics.MetricsEndpoint;
import io.walkerd.server.InsecureSettings;
import io.walkerd.testing.CapturedLogs;
import io.walkerd.testing.Http;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics} is served only where the settings say and only to who holds the token: on the main port behind
 * {@code METRICS_TOKEN}, or on {@code METRICS_PORT}; with neither, not at all (and the start-up log says how to
 * turn it on).
 */
class MetricsAccessTest {
    static final String TOKEN = "metrics-token-0123456789abcdef";

    @Test
    void withNeitherTokenNorPortMetricsAreNotServedAndTheLogSaysHowToServeThem() {
        try (CapturedLogs logs = CapturedLogs.of(MetricsEndpoint.class);
             TestServer s = TestServer.start()) {
            assertThat(s.http().get("/metrics", null).status()).isEqualTo(404);
            assertThat(logs.events()).hasSize(1);
            assertThat(logs.events().get(0).getLevel().toString()).isEqualTo("INFO");
            assertThat(logs.events().get(0).getFormattedMessage()).contains("METRICS_TOKEN").contains("METRICS_PORT");
        }
    }

    @Test
    void theMainPortRefusesMetricsWithoutTheTokenOrWithAnotherAndServesThemWithIt() {
        try (TestServer s = TestServer.start(Map.of("METRICS_TOKEN", TOKEN))) {
            Http http = s.http();
            for (String wrong : new String[] {null, "nope", TOKEN + "x", TOKEN.substring(1), ""}) {
                Http.Response r = http.get("/metrics", wrong);
                assertThat(r.status()).as("token %s", wrong).isEqualTo(401);
                assertThat(r.body().path("error").asText()).startsWith("Unauthorized").contains("token");
                assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
                ErrorBodiesTest.assertNoInternals(r);
                assertThat(r.raw()).doesNotContain("jvm_");
            }
            assertThat(http.send("GET", "/metrics", null, null, Map.of("Authorization", "Basic " + TOKEN)).status()).isEqualTo(401);

            Http.Response ok = http.get("/metrics", TOKEN);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("Content-Type")).startsWith("text/plain").contains("version=0.0.4");
            assertThat(ok.raw()).contains("# TYPE jvm_memory_used_bytes gauge").contains("walkerd_http_requests_total");
        }
    }

    @Test
    void aMetricsPortServesThemThereAndNotOnTheMainPort() {
        try (CapturedLogs logs = CapturedLogs.of(InsecureSettings.class);
             TestServer s = TestServer.start(Map.of("METRICS_PORT", "0"))) {
            assertThat(s.server().metricsPort()).isPositive().isNotEqualTo(s.server().port());
            assertThat(s.http().get("/metrics", null).status()).isEqualTo(404);
            Http.Response r = new Http("http://127.0.0.1:" + s.server().metricsPort()).get("/metrics", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.raw()).contains("jvm_memory_used_bytes");
            assertThat(logs.events()).as("loopback without a token is not insecure").isEmpty();
        }
    }

    @Test
    void aMetricsPortAsksForTheTokenWhenOneIsSet() {
        try (TestServer s = TestServer.start(Map.of("METRICS_PORT", "0", "METRICS_TOKEN", TOKEN))) {
            Http metrics = new Http("http://127.0.0.1:" + s.server().metricsPort());
            assertThat(metrics.get("/metrics", null).status()).isEqualTo(401);
            assertThat(metrics.get("/metrics", "wrong").status()).isEqualTo(401);
            assertThat(metrics.get("/metrics", TOKEN).status()).isEqualTo(200);
            assertThat(s.http().get("/metrics", TOKEN).status()).as("served on the metrics port only").isEqualTo(404);
        }
    }

    @Test
    void aMetricsPortOpenBeyondLoopbackWithoutATokenIsNamedInTheStartUpWarning() {
        try (CapturedLogs logs = CapturedLogs.of(InsecureSettings.class);
             TestServer s = TestServer.start(Map.of("METRICS_PORT", "0", "METRICS_HOST", "0.0.0.0"))) {
            assertThat(logs.events()).hasSize(1);
            assertThat(logs.events().get(0).getFormattedMessage()).contains("METRICS_PORT=0 on METRICS_HOST=0.0.0.0 without METRICS_TOKEN");
        }
    }

    @Test
    void withMetricsOffNothingIsServedWhateverTheToken() {
        try (TestServer s = TestServer.start(Map.of("METRICS_ENABLED", "false", "METRICS_TOKEN", TOKEN))) {
            assertThat(s.http().get("/metrics", TOKEN).status()).isEqualTo(404);
            assertThat(s.server().metrics().scrape()).isEmpty();
        }
    }
}
