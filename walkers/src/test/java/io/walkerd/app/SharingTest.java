package io.walkerd.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code share_graph} and {@code unshare_graph}: alice opens part of her graph to bob and closes it again. */
class SharingTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    @Test
    void aProjectGrantShowsBobTheProjectButNotItsTasksUntilItIsRevoked() {
        JsonNode alice = http.newUser(), bob = http.newUser();
        String ta = alice.get("token").asText(), tb = bob.get("token").asText();
        String bobRoot = "n::" + bob.at("/user/root_id").asText();
        String project = http.post("/walker/create_project", Map.of("name", "shared"), ta).reports().get(0).get("id").asText();
        String task = http.post("/walker/add_task/" + project, Map.of("title", "t"), ta).reports().get(0).get("id").asText();

        assertThat(http.post("/walker/walk_projects/" + project, Map.of(), tb).status()).isEqualTo(403);
        var shared = http.post("/walker/share_graph/" + project, Map.of("root_id", bobRoot), ta);
        assertThat(shared.reports().get(0).get("level").asText()).isEqualTo("READ");

        var seen = http.post("/walker/walk_projects/" + project, Map.of(), tb);
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.reports().get(0).at("/context/name").asText()).isEqualTo("shared");
        assertThat(seen.reports().get(1).get("tasks").asInt()).as("the tasks are not covered by the project's grant").isZero();
        assertThat(http.post("/walker/walk_projects/" + task, Map.of(), tb).status()).isEqualTo(403);

        http.post("/walker/unshare_graph/" + project, Map.of("root_id", bobRoot), ta);
        assertThat(http.post("/walker/walk_projects/" + project, Map.of(), tb).status()).isEqualTo(403);
    }

    @Test
    void anInvalidLevelIs422NamingTheField() {
        JsonNode alice = http.newUser(), bob = http.newUser();
        var r = http.post("/walker/share_graph", Map.of("root_id", bob.at("/user/root_id").asText(), "level", "ADMIN"),
                alice.get("token").asText());
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().at("/detail/0/loc").toString()).isEqualTo("[\"body\",\"level\"]");
        assertThat(r.body().at("/detail/0/msg").asText()).contains("'ADMIN'").contains("NO_ACCESS, READ, CONNECT, WRITE");
        assertThat(r.raw()).doesNotContain("java.").doesNotContainIgnoringCase("exception").doesNotContainIgnoringCase("jackson");
    }

    @Test
    void aRootGrantCoversEverythingAliceOwnsAndWriteLetsBobChangeIt() {
        JsonNode alice = http.newUser(), bob = http.newUser();
        String ta = alice.get("token").asText(), tb = bob.get("token").asText();
        String bobRoot = bob.at("/user/root_id").asText();
        String project = http.post("/walker/create_project", Map.of("name", "mine"), ta).reports().get(0).get("id").asText();
        String task = http.post("/walker/add_task/" + project, Map.of("title", "t"), ta).reports().get(0).get("id").asText();

        http.post("/walker/share_graph", Map.of("root_id", bobRoot, "level", "WRITE"), ta);
        assertThat(http.send("PATCH", "/walker/update_task/" + task, Map.of("done", true), tb).status()).isEqualTo(200);
        var asAlice = http.post("/walker/walk_projects/" + task, Map.of(), ta);
        assertThat(asAlice.reports().get(0).at("/context/done").asBoolean()).as("bob's write persisted").isTrue();

        http.post("/walker/unshare_graph", Map.of("root_id", bobRoot), ta);
        assertThat(http.post("/walker/walk_projects/" + task, Map.of(), tb).status()).isEqualTo(403);
    }

    @Test
    void aReadGranteeCannotGrantItselfWriteAndSoCannotDeleteTheProject() {
        JsonNode alice = http.newUser(), bob = http.newUser();
        String ta = alice.get("token").asText(), tb = bob.get("token").asText();
        String bobRoot = "n::" + bob.at("/user/root_id").asText();
        String project = http.post("/walker/create_project", Map.of("name", "guarded"), ta).reports().get(0).get("id").asText();
        http.post("/walker/share_graph/" + project, Map.of("root_id", bobRoot), ta);

        var escalate = http.post("/walker/share_graph/" + project, Map.of("root_id", bobRoot, "level", "WRITE"), tb);
        assertThat(escalate.status()).isEqualTo(403);
        assertThat(escalate.body().get("error").asText()).contains("WRITE access");
        http.send("DELETE", "/walker/delete_project/" + project, null, tb);

        var stillThere = http.post("/walker/walk_projects/" + project, Map.of(), ta);
        assertThat(stillThere.status()).isEqualTo(200);
        assertThat(stillThere.reports().get(0).at("/context/name").asText()).as("bob's delete did not persist").isEqualTo("guarded");
    }
}
