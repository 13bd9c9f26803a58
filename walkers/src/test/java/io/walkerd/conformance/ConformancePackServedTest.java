package io.walkerd.conformance;

import io.walkerd.server.InsecureSettings;
import io.walkerd.testing.CapturedLogs;
import io.walkerd.testing.Http;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conformance pack writes to the public root for anyone ({@code visit_sequence} adds nodes and edges on every
 * call without a token), so the served application registers it only with {@code WALKERD_CONFORMANCE=true}.
 */
class ConformancePackServedTest {

    @Test
    void byDefaultItsWalkersAreNotServed() {
        try (TestServer server = TestServer.start(Map.of())) {
            Http http = server.http();
            assertThat(http.post("/walker/visit_sequence", Map.of()).status()).isEqualTo(404);
            assertThat(http.post("/walker/create_graph", Map.of()).status()).isEqualTo(404);
            assertThat(http.get("/openapi.json", null).body().get("paths").has("/walker/visit_sequence")).isFalse();
            assertThat(http.get("/walker/greet/Ada", null).status()).as("the example walkers still are").isEqualTo(200);
        }
    }

    @Test
    void withTheSettingTheyAreServedAndTheStartUpWarningSaysSo() {
        try (CapturedLogs logs = CapturedLogs.of(InsecureSettings.class);
             TestServer server = TestServer.start(Map.of("WALKERD_CONFORMANCE", "true"))) {
            assertThat(server.http().post("/walker/visit_sequence", Map.of()).status()).isEqualTo(200);
            assertThat(logs.events()).singleElement().satisfies(e ->
                    assertThat(e.getFormattedMessage()).contains("WALKERD_CONFORMANCE=true").contains("visit_sequence"));
        }
    }
}
