package io.walkerd.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The project-board walkers ({@code io.walkerd.app.graph}) and the specs walkers over a real server. */
class ProjectBoardTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    /** A fresh user with a project holding tasks "a", "b", "c"; returns {token, project, a, b, c}. */
    static Map<String, String> board() {
        String token = http.newToken();
        var created = http.post("/walker/create_project", Map.of("name", "board", "tags", List.of("x")), token);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Map<String, String> ids = new HashMap<>();
        ids.put("token", token);
        ids.put("project", created.reports().get(0).get("id").asText());
        for (String t : List.of("a", "b", "c")) {
            var task = http.post("/walker/add_task/" + ids.get("project"), Map.of("title", t), token);
            assertThat(task.status()).as(task.toString()).isEqualTo(200);
            ids.put(t, task.reports().get(0).get("id").asText());
        }
        return ids;
    }

    static List<String> titles(JsonNode reports) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : reports) if (r.path("context").has("title")) out.add(r.path("context").path("title").asText());
        return out;
    }

    @Test
    void nestedFieldsOfATaskAreStoredAndComeBackAsGiven() {
        Map<String, String> b = board();
        Map<String, Object> input = Map.of("title", "nested", "priority", "HIGH", "labels", List.of("l1", "l2"),
                "meta", Map.of("n", 1.5, "flag", true, "deep", Map.of("k", List.of(1, 2))),
                "schedule", Map.of("due", "2025-03-01", "estimate_hours", 2), "steps", List.of("one", "two"));
        String id = http.post("/walker/add_task/" + b.get("project"), input, b.get("token")).reports().get(0).get("id").asText();
        JsonNode task = http.post("/walker/walk_projects/" + id, Map.of(), b.get("token")).reports().get(0).get("context");
        assertThat(task.get("priority").asText()).isEqualTo("HIGH");
        assertThat(task.get("labels").toString()).isEqualTo("[\"l1\",\"l2\"]");
        assertThat(task.at("/meta/deep/k/1").asInt()).isEqualTo(2);
        assertThat(task.at("/meta/flag").asBoolean()).isTrue();
        assertThat(task.at("/schedule/estimate_hours").asInt()).isEqualTo(2);
        assertThat(task.at("/checklist/1/text").asText()).isEqualTo("two");
        assertThat(task.at("/checklist/1/done").asBoolean()).isFalse();
    }

    @Test
    void updateTaskChangesOnlyTheGivenFieldsAndMergesMeta() {
        Map<String, String> b = board();
        String token = b.get("token");
        http.send("PATCH", "/walker/update_task/" + b.get("a"), Map.of("meta", Map.of("x", 1, "y", 2)), token);
        var meta = new HashMap<String, Object>();
        meta.put("x", null);
        meta.put("z", "new");
        var updated = http.send("PATCH", "/walker/update_task/" + b.get("a"), Map.of("meta", meta, "done", true, "add_labels", List.of("k")), token);
        JsonNode task = updated.reports().get(0).get("context");
        assertThat(task.get("meta").toString()).isEqualTo("{\"y\":2,\"z\":\"new\"}");
        assertThat(task.get("done").asBoolean()).isTrue();
        assertThat(task.get("title").asText()).isEqualTo("a");
        assertThat(task.get("priority").asText()).isEqualTo("MEDIUM");
    }

    @Test
    void walkProjectsVisitsBreadthFirstAndTheNodesCountThemselves() {
        Map<String, String> b = board();
        var walk = http.post("/walker/walk_projects", Map.of(), b.get("token"));
        assertThat(walk.reports().get(0).path("context").path("name").asText()).isEqualTo("board");
        assertThat(titles(walk.reports())).containsExactly("a", "b", "c");
        JsonNode tally = walk.reports().get(walk.reports().size() - 1);
        assertThat(tally.get("projects").asInt()).isEqualTo(1);
        assertThat(tally.get("tasks").asInt()).isEqualTo(3);
    }

    @Test
    void aDetachedTaskLeavesTheProjectButCanStillBeReachedByItsId() {
        Map<String, String> b = board();
        String token = b.get("token");
        assertThat(http.post("/walker/detach_task/" + b.get("project"), Map.of("title", "b"), token).status()).isEqualTo(200);
        assertThat(titles(http.post("/walker/walk_projects/" + b.get("project"), Map.of(), token).reports())).containsExactly("a", "c");
        assertThat(titles(http.post("/walker/walk_projects/" + b.get("b"), Map.of(), token).reports())).containsExactly("b");
    }

    @Test
    void linkTasksCreatesATypedEdgeWithItsNote() {
        Map<String, String> b = board();
        var link = http.post("/walker/link_tasks/" + b.get("project"), Map.of("task", "c", "depends_on", "a", "note", "after a"), b.get("token"));
        assertThat(link.reports().get(0).get("id").asText()).startsWith("e:DependsOn:");
        assertThat(link.reports().get(0).at("/context/note").asText()).isEqualTo("after a");
        var missing = http.post("/walker/link_tasks/" + b.get("project"), Map.of("task", "c", "depends_on", "zzz"), b.get("token"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().get("error").asText()).contains("no task titled 'zzz'");
    }

    @Test
    void deletingTheProjectDeletesItsTasks() {
        Map<String, String> b = board();
        String token = b.get("token");
        var deleted = http.send("DELETE", "/walker/delete_project/" + b.get("project"), null, token);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.reports().get(0).get("deleted")).hasSize(4);
        assertThat(http.post("/walker/walk_projects/" + b.get("a"), Map.of(), token).status()).isEqualTo(404);
        assertThat(http.get("/walker/list_projects", token).reports().isMissingNode()).isTrue();
    }

    @Test
    void aWalkerSpawnedOnTheWrongKindOfNodeSaysWhichItNeeds() {
        Map<String, String> b = board();
        var wrong = http.post("/walker/add_task/" + b.get("a"), Map.of("title", "x"), b.get("token"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body().get("error").asText()).contains("add_task runs on a project");
    }

    @Test
    void theSpecsWalkersReadPathAndQueryAndAGetOnlyWalkerRefusesPost() {
        Map<String, String> b = board();
        String token = b.get("token");
        assertThat(http.get("/walker/task_at/" + b.get("project") + "/position/2", token).reports().get(0).at("/context/title").asText()).isEqualTo("c");
        assertThat(titles(http.get("/walker/search_tasks?q=B&limit=5", token).reports())).containsExactly("b");
        http.send("PATCH", "/walker/update_task/" + b.get("c"), Map.of("priority", "HIGH"), token);
        assertThat(titles(http.get("/walker/filter_tasks?priority=HIGH", token).reports())).containsExactly("c");
        assertThat(http.get("/walker/greet/Ada", null).reports().get(0).asText()).isEqualTo("Hello, Ada!");
        assertThat(http.get("/walker/whoami", null).status()).isEqualTo(401);
        assertThat(http.post("/walker/whoami", Map.of(), token).status()).isEqualTo(405);
    }

    @Test
    void thePrivateWalkerHasNoRoute() {
        assertThat(http.post("/walker/purge_done_tasks", Map.of(), http.newToken()).status()).isEqualTo(404);
        assertThat(http.get("/openapi.json", null).raw()).doesNotContain("purge_done_tasks");
    }
}
