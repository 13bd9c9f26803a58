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
 * The example application's private channels ({@code io.walkerd.app.channels.ProjectChannels}):
 * {@code private:project:<project id>} may be joined and published to by whoever can READ the project.
 */
class ProjectChannelsTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    static String url(String project) { return server.wsUrl() + "/websocket?channel_id=private:project:" + project; }

    @Test
    void theOwnerJoinsItsProjectsChannelAndOthersAndThePublicAreRefused() {
        String alice = http.newToken();
        String project = http.post("/walker/create_project", Map.of("name", "secret plans"), alice).reports().get(0).get("id").asText();
        try (SocketClient owner = SocketClient.connect(url(project), alice)) {
            assertThat(owner.info().get("channel_id").asText()).isEqualTo("private:project:" + project);
        }
        assertThat(SocketClient.refusal(url(project), http.newToken())).isEqualTo(403);
        assertThat(SocketClient.refusal(url(project), null)).isEqualTo(403);
    }

    @Test
    void aUserTheProjectIsSharedWithJoinsAndChatsWithTheOwner() {
        JsonNode bob = http.newUser();
        String alice = http.newToken(), bobToken = bob.get("token").asText();
        String project = http.post("/walker/create_project", Map.of("name", "shared plans"), alice).reports().get(0).get("id").asText();
        assertThat(SocketClient.refusal(url(project), bobToken)).isEqualTo(403);
        http.post("/walker/share_graph/" + project, Map.of("root_id", bob.at("/user/root_id").asText()), alice);
        String channel = "private:project:" + project;
        try (SocketClient owner = SocketClient.connect(url(project), alice);
             SocketClient member = SocketClient.connect(url(project), bobToken)) {
            member.send(Map.of("type", "channel", "channel_ids", List.of(channel), "data", Map.of("from", "bob")));
            assertThat(owner.next().get("from").asText()).isEqualTo("bob");
            assertThat(member.next().get("from").asText()).isEqualTo("bob");
        }
    }

    @Test
    void onlyProjectsNameAProjectChannel() {
        String alice = http.newToken();
        String project = http.post("/walker/create_project", Map.of("name", "p"), alice).reports().get(0).get("id").asText();
        String task = http.post("/walker/add_task/" + project, Map.of("title", "t"), alice).reports().get(0).get("id").asText();
        assertThat(SocketClient.refusal(url(task), alice)).isEqualTo(403);
        assertThat(SocketClient.refusal(server.wsUrl() + "/websocket?channel_id=private:anything", alice)).isEqualTo(403);
    }
}
