package io.walkerd.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live project board: a board joins the channels of its project and tasks (node channels) and follows every
 * committed change, whoever makes it. Alice shares her graph with bob; each sees the other's edits as they happen.
 */
class LiveBoardTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    static String id(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isBetween(200, 201);
        return r.reports().get(0).get("id").asText();
    }

    static SocketClient board(String token, String project) {
        SocketClient c = SocketClient.connect(server.wsUrl() + "/websocket?v=2", token);
        c.send(Map.of("type", "walker", "walker", "project_board", "node", project, "response", true, "request_id", "board"));
        JsonNode board = c.next();
        assertThat(board.path("request_id").asText()).isEqualTo("board");
        List<String> channels = new java.util.ArrayList<>(List.of(project));
        for (JsonNode t : board.path("reports").get(0).path("tasks")) channels.add(t.path("id").asText());
        c.send(Map.of("type", "join", "channel_ids", channels));
        JsonNode joined = c.next();
        assertThat(joined.path("data").path("denied")).as(joined.toString()).isEmpty();
        return c;
    }

    @Test
    void eachUserSeesTheOthersEditsToASharedProjectLive() {
        JsonNode alice = http.newUser(), bob = http.newUser();
        String ta = alice.get("token").asText(), tb = bob.get("token").asText();
        String project = id(http.post("/walker/create_project", Map.of("name", "launch"), ta));
        String task = id(http.post("/walker/add_task/" + project, Map.of("title", "write docs"), ta));
        http.post("/walker/share_graph", Map.of("root_id", bob.at("/user/root_id").asText(), "level", "WRITE"), ta);

        try (SocketClient aliceBoard = board(ta, project);
             SocketClient bobBoard = board(tb, project)) {
            // bob ticks alice's task: alice's board hears of it
            assertThat(http.send("PATCH", "/walker/update_task/" + task, Map.of("done", true), tb).status()).isEqualTo(200);
            JsonNode done = aliceBoard.next();
            assertThat(done.path("type").asText()).isEqualTo("node");
            assertThat(done.path("channel_id").asText()).isEqualTo(task);
            assertThat(done.path("data").path("changes").toString()).isEqualTo("[\"fields\"]");
            assertThat(done.path("data").path("context").path("done").asBoolean()).isTrue();
            assertThat(bobBoard.next().path("data").path("context").path("done").asBoolean()).isTrue();

            // alice adds a task: the project's edges (and its next task position) changed, both boards hear of it
            id(http.post("/walker/add_task/" + project, Map.of("title", "ship"), ta));
            for (SocketClient b : List.of(aliceBoard, bobBoard)) {
                JsonNode added = b.next();
                assertThat(added.path("channel_id").asText()).isEqualTo(project);
                assertThat(added.path("data").path("changes").toString()).isEqualTo("[\"fields\",\"edges\"]");
            }
        }
    }

    @Test
    void aUserTheProjectIsNotSharedWithCannotFollowIt() {
        String ta = http.newToken(), tc = http.newToken();
        String project = id(http.post("/walker/create_project", Map.of("name", "private"), ta));
        try (SocketClient carol = SocketClient.connect(server.wsUrl() + "/websocket?v=2", tc)) {
            carol.send(Map.of("type", "join", "channel_ids", List.of(project)));
            JsonNode denied = carol.next().path("data").path("denied");
            assertThat(denied).hasSize(1);
            assertThat(denied.get(0).path("channel_id").asText()).isEqualTo(project);
        }
    }
}
