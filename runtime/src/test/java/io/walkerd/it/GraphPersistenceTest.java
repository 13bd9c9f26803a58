package io.walkerd.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The graph a walker builds is stored in MongoDB (embedded wire server) and read back by later walkers. */
class GraphPersistenceTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    private static List<Integer> indexes(JsonNode reports) {
        List<Integer> out = new ArrayList<>();
        reports.forEach(r -> out.add(r.path("context").path("index").asInt()));
        return out;
    }

    @Test
    void graphBuiltByOneRequestIsTraversedByALaterOneInVisitOrder() {
        String token = http.newToken();
        var built = http.post("/walker/build_items", Map.of("count", 4), token);
        assertThat(built.status()).isEqualTo(200);
        assertThat(indexes(built.reports())).containsExactly(0, 1, 2, 3);
        JsonNode first = built.reports().get(0);
        assertThat(first.get("id").asText()).matches("n:Item:[0-9a-f]{24}");
        assertThat(first.get("context").get("label").asText()).isEqualTo("item-0");

        var walked = http.post("/walker/walk_items", Map.of(), token);
        assertThat(indexes(walked.reports())).containsExactly(0, 1, 2, 3);
        assertThat(walked.reports().get(0).get("id").asText()).isEqualTo(first.get("id").asText());
    }

    @Test
    void responseLeavesOutReportsWhenNothingWasReported() {
        String token = http.newToken();
        var r = http.post("/walker/walk_items", Map.of(), token);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().toString()).isEqualTo("{\"status\":200}");
    }

    @Test
    void edgesConnectedToTheRootBeforeItIsReadJoinItsStoredEdges() {
        String token = http.newToken();
        http.post("/walker/build_items", Map.of("count", 2), token);
        var second = http.post("/walker/build_items", Map.of("count", 1), token);
        assertThat(indexes(second.reports())).as("the root's stored edges first, then the new one").containsExactly(0, 1, 0);
        assertThat(indexes(http.post("/walker/walk_items", Map.of(), token).reports())).containsExactly(0, 1, 0);
    }

    @Test
    void spawningOnANodeIdStartsThere() {
        String token = http.newToken();
        var built = http.post("/walker/build_items", Map.of("count", 2), token);
        String second = built.reports().get(1).get("id").asText();
        var here = http.post("/walker/where_am_i/" + second, Map.of(), token);
        assertThat(here.status()).isEqualTo(200);
        assertThat(here.reports().get(0).get("id").asText()).isEqualTo(second);
        assertThat(here.reports().get(0).get("context").get("index").asInt()).isEqualTo(1);
    }

    @Test
    void unknownNodeIs404() {
        String token = http.newToken();
        var r = http.post("/walker/where_am_i/n:Item:0123456789abcdef01234567", Map.of(), token);
        assertThat(r.status()).isEqualTo(404);
        assertThat(http.post("/walker/where_am_i/not-a-ref", Map.of(), token).status()).isEqualTo(404);
    }

    @Test
    void disengageStopsTheWalk() {
        String token = http.newToken();
        http.post("/walker/build_items", Map.of("count", 4), token);
        var r = http.post("/walker/stop_at", Map.of("stopAt", 1), token);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.reports().toString()).isEqualTo("[0,1]");
    }

    @Test
    void aWalkerThatThrowsHalfWayLeavesTheGraphUnchanged() {
        String token = http.newToken();
        http.post("/walker/build_items", Map.of("count", 2), token);
        var failed = http.post("/walker/fail_halfway", Map.of(), token);
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.body().get("error").asText()).isEqualTo("internal error");
        assertThat(failed.raw()).doesNotContain("boom");
        var after = http.post("/walker/walk_items", Map.of(), token);
        assertThat(indexes(after.reports())).containsExactly(0, 1);
    }

    @Test
    void aWalkerThatSetsAnInvalidStatusFailsAndWritesNothing() {
        String token = http.newToken();
        var failed = http.post("/walker/add_item_with_status", Map.of("status", 301), token);
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.body().get("error").asText()).contains("301");
        assertThat(http.post("/walker/walk_items", Map.of(), token).body().has("reports")).isFalse();
        assertThat(http.post("/walker/add_item_with_status", Map.of("status", 201), token).status()).isEqualTo(201);
        assertThat(indexes(http.post("/walker/walk_items", Map.of(), token).reports())).containsExactly(7);
    }

    @Test
    void changesToALoadedNodePersist() {
        String token = http.newToken();
        String id = http.post("/walker/build_items", Map.of("count", 1), token).reports().get(0).get("id").asText();
        assertThat(http.post("/walker/bump_item/" + id, Map.of("delta", 5), token).reports().get(0).get("context").get("index").asInt()).isEqualTo(5);
        assertThat(indexes(http.post("/walker/walk_items", Map.of(), token).reports())).containsExactly(5);
    }

    @Test
    void destroyedNodeAndItsEdgeAreGone() {
        String token = http.newToken();
        http.post("/walker/build_items", Map.of("count", 3), token);
        var r = http.post("/walker/delete_first", Map.of(), token);
        assertThat(r.reports().get(0).asInt()).isEqualTo(2);
        assertThat(indexes(http.post("/walker/walk_items", Map.of(), token).reports())).containsExactly(1, 2);
    }

    @Test
    void usersDoNotSeeEachOthersGraphs() {
        String a = http.newToken();
        String b = http.newToken();
        http.post("/walker/build_items", Map.of("count", 2), a);
        assertThat(http.post("/walker/walk_items", Map.of(), b).body().has("reports")).isFalse();
    }

    @Test
    void graphSurvivesARestartOfTheEmbeddedStore(@TempDir Path dir) {
        TestServer onFile = TestServer.onFile(dir.resolve("walkerd.mv"), Map.of());
        try {
            Http h = onFile.http();
            JsonNode user = h.newUser();
            String token = user.get("token").asText();
            h.post("/walker/build_items", Map.of("count", 3), token);
            onFile = onFile.restart();
            Http again = onFile.http();
            var walked = again.post("/walker/walk_items", Map.of(), token);
            assertThat(walked.status()).as("token and user survive the restart").isEqualTo(200);
            assertThat(indexes(walked.reports())).containsExactly(0, 1, 2);
        } finally {
            onFile.close();
        }
    }
}
