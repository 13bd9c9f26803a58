package io.walkerd.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** protocol.md section 4: access levels per root, enforced on read and write. */
class AccessTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    @Test
    void grantsAndRevocationsGovernAnotherUsersReadsAndWrites() {
        JsonNode a = http.newUser();
        JsonNode b = http.newUser();
        String ta = a.get("token").asText(), tb = b.get("token").asText();
        String bRoot = "n::" + b.get("user").get("root_id").asText();
        String item = http.post("/walker/build_items", Map.of("count", 1), ta).reports().get(0).get("id").asText();

        var denied = http.post("/walker/where_am_i/" + item, Map.of(), tb);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body().get("error").asText()).isEqualTo("You don't have access on target entry " + item + "!");

        assertThat(http.post("/walker/grant_access/" + item, Map.of("root_id", bRoot, "level", "READ"), ta).status()).isEqualTo(200);
        assertThat(http.post("/walker/where_am_i/" + item, Map.of(), tb).status()).isEqualTo(200);
        var readOnlyWrite = http.post("/walker/bump_item/" + item, Map.of("delta", 7), tb);
        assertThat(readOnlyWrite.status()).isEqualTo(200);
        assertThat(indexOf(item, ta)).as("a write with READ does not persist").isEqualTo(0);

        assertThat(http.post("/walker/grant_access/" + item, Map.of("root_id", bRoot, "level", "WRITE"), ta).status()).isEqualTo(200);
        http.post("/walker/bump_item/" + item, Map.of("delta", 7), tb);
        assertThat(indexOf(item, ta)).as("a write with WRITE persists").isEqualTo(7);

        assertThat(http.post("/walker/revoke_access/" + item, Map.of("root_id", bRoot), ta).status()).isEqualTo(200);
        assertThat(http.post("/walker/where_am_i/" + item, Map.of(), tb).status()).isEqualTo(403);
    }

    @Test
    void aGrantOnTheRootCoversEveryNodeItOwnsAndANodeGrantWinsOverIt() {
        JsonNode a = http.newUser();
        JsonNode b = http.newUser();
        String ta = a.get("token").asText(), tb = b.get("token").asText();
        String bRoot = "n::" + b.get("user").get("root_id").asText();
        var built = http.post("/walker/build_items", Map.of("count", 2), ta);
        String first = built.reports().get(0).get("id").asText();
        String second = built.reports().get(1).get("id").asText();

        http.post("/walker/grant_access", Map.of("root_id", bRoot, "level", "READ"), ta);
        assertThat(http.post("/walker/where_am_i/" + first, Map.of(), tb).status()).isEqualTo(200);
        assertThat(http.post("/walker/where_am_i/" + second, Map.of(), tb).status()).isEqualTo(200);

        http.post("/walker/grant_access/" + second, Map.of("root_id", bRoot, "level", "NO_ACCESS"), ta);
        assertThat(http.post("/walker/where_am_i/" + second, Map.of(), tb).status()).isEqualTo(403);
        assertThat(http.post("/walker/where_am_i/" + first, Map.of(), tb).status()).isEqualTo(200);
    }

    @Test
    void levelsAreAcceptedAsNumbers() {
        JsonNode a = http.newUser();
        JsonNode b = http.newUser();
        String ta = a.get("token").asText(), tb = b.get("token").asText();
        String bRoot = b.get("user").get("root_id").asText();
        String item = http.post("/walker/build_items", Map.of("count", 1), ta).reports().get(0).get("id").asText();
        http.post("/walker/grant_access/" + item, Map.of("root_id", bRoot, "level", "2"), ta);
        http.post("/walker/bump_item/" + item, Map.of("delta", 3), tb);
        assertThat(indexOf(item, ta)).isEqualTo(3);
    }

    @Test
    void publicCallersShareThePublicRoot() {
        var r1 = http.post("/walker/renamed_walker", Map.of());
        assertThat(r1.status()).isEqualTo(200);
        var root = http.post("/walker/root_only", Map.of());
        assertThat(root.status()).isEqualTo(200);
    }

    private static int indexOf(String item, String token) {
        return http.post("/walker/where_am_i/" + item, Map.of(), token).reports().get(0).get("context").get("index").asInt();
    }
}
