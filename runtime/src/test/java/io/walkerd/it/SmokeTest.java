package io.walkerd.it;

import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    @Test
    void healthzAnswers() {
        assertThat(http.get("/healthz", null).status()).isEqualTo(200);
    }

    @Test
    void buildItemsThenWalkThem() {
        String token = http.newToken();
        var created = http.post("/walker/build_items", Map.of("count", 3), token);
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(created.reports()).hasSize(3);
        var traversed = http.post("/walker/walk_items", Map.of(), token);
        assertThat(traversed.status()).as(traversed.toString()).isEqualTo(200);
        assertThat(traversed.reports()).hasSize(3);
        assertThat(traversed.reports().get(0).path("context").path("index").asInt()).isEqualTo(0);
    }
}
