package io.walkerd.it;

import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A walk that reports stored nodes it did not change answers with their stored text instead of printing them
 * (once a commit has found that they print as that text). The answers must be the very bytes printing gives, and
 * a node changed in place must never be answered with its old text.
 */
class StoredResponsesTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    @Test
    void unchangedNodesAreAnsweredWithTheSameBytesAsPrinted() {
        String token = http.newToken();
        http.post("/walker/build_items", Map.of("count", 5), token);
        // the first walk reads and prints them; its commit finds they print as stored; later walks use the text
        Http.Response first = http.post("/walker/walk_items", Map.of(), token);
        Http.Response second = http.post("/walker/walk_items", Map.of(), token);
        Http.Response third = http.post("/walker/walk_items", Map.of(), token);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.reports()).hasSize(5);
        assertThat(second.raw()).isEqualTo(first.raw());
        assertThat(third.raw()).isEqualTo(first.raw());
    }

    @Test
    void aNodeChangedInPlaceIsAnsweredAsChangedAndStoredSo() {
        String token = http.newToken();
        var built = http.post("/walker/build_items", Map.of("count", 2), token);
        String item = built.reports().get(0).get("id").asText();
        http.post("/walker/walk_items", Map.of(), token);
        http.post("/walker/walk_items", Map.of(), token); // the stored text is now what unchanged items answer with

        var bumped = http.post("/walker/bump_item/" + item, Map.of("delta", 100), token);
        assertThat(bumped.reports().get(0).get("context").get("index").asInt()).isEqualTo(100);
        var again = http.post("/walker/bump_item/" + item, Map.of("delta", 100), token);
        assertThat(again.reports().get(0).get("context").get("index").asInt()).isEqualTo(200);

        var walked = http.post("/walker/walk_items", Map.of(), token);
        assertThat(walked.reports().get(0).get("context").get("index").asInt()).isEqualTo(200);
        assertThat(http.post("/walker/walk_items", Map.of(), token).raw()).isEqualTo(walked.raw());
    }
}
