package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A frame the server cannot accept gets {@code {"error": [...]}} naming the problem, and the connection keeps
 * working: every test ends by asking for the connection event again on the same socket.
 */
class BadFrameTest {
    @RegisterExtension
    static final SocketServer server = new SocketServer();
    WsClient client;


    @BeforeEach
    void connect() { client = WsClient.connect(server.wsUrl()); }

    @AfterEach
    void stillWorksThenClose() {
        client.send(Map.of("type", "connection"));
        assertThat(client.next()).isEqualTo(client.connection());
        client.close();
    }

    /** The reply to {@code frame}: an error list whose first entry is returned. */
    JsonNode errorFor(Object frame) {
        client.send(frame);
        JsonNode reply = client.next();
        assertThat(reply.has("error")).as(reply.toString()).isTrue();
        assertThat(reply.get("error").isArray()).as(reply.toString()).isTrue();
        assertThat(reply.get("error")).isNotEmpty();
        return reply.get("error").get(0);
    }

    @Test
    void malformedJsonGetsAnError() {
        JsonNode e = errorFor("{\"type\": \"user\", ");
        assertThat(e.get("type").asText()).isEqualTo("json_invalid");
        assertThat(e.get("msg").asText()).startsWith("Invalid JSON");
    }

    @Test
    void jsonThatIsNotAnObjectGetsAnError() {
        assertThat(errorFor("[1, 2]").get("type").asText()).isEqualTo("model_type");
    }

    @Test
    void missingTypeGetsAnError() {
        JsonNode e = errorFor(Map.of("data", Map.of()));
        assertThat(e.get("loc").toString()).isEqualTo("[\"type\"]");
    }

    @Test
    void unknownTypeGetsAnError() {
        JsonNode e = errorFor(Map.of("type", "shout", "data", Map.of()));
        assertThat(e.get("type").asText()).isEqualTo("union_tag_invalid");
        assertThat(e.get("msg").asText()).contains("'shout'").contains("'change_user'");
    }

    @Test
    void missingRootIdsGetsAnError() {
        JsonNode e = errorFor(Map.of("type", "user", "data", Map.of("x", 1)));
        assertThat(e.get("type").asText()).isEqualTo("missing");
        assertThat(e.get("loc").toString()).isEqualTo("[\"root_ids\"]");
    }

    @Test
    void emptyRootIdsGetsAnError() {
        JsonNode e = errorFor(Map.of("type", "user", "root_ids", List.of(), "data", Map.of("x", 1)));
        assertThat(e.get("type").asText()).isEqualTo("too_short");
    }

    @Test
    void missingChannelIdsGetsAnError() {
        assertThat(errorFor(Map.of("type", "channel", "data", Map.of("x", 1))).get("loc").toString()).isEqualTo("[\"channel_ids\"]");
    }

    @Test
    void emptyChannelIdsGetsAnError() {
        assertThat(errorFor(Map.of("type", "channel", "channel_ids", List.of(), "data", Map.of())).get("type").asText()).isEqualTo("too_short");
    }

    @Test
    void missingClientIdsGetsAnError() {
        assertThat(errorFor(Map.of("type", "client", "data", Map.of("x", 1))).get("loc").toString()).isEqualTo("[\"client_ids\"]");
    }

    @Test
    void emptyClientIdsGetsAnError() {
        assertThat(errorFor(Map.of("type", "client", "client_ids", List.of(), "data", Map.of())).get("type").asText()).isEqualTo("too_short");
    }

    @Test
    void idsThatAreNotAListOfStringsGetAnError() {
        assertThat(errorFor(Map.of("type", "client", "client_ids", "abc", "data", Map.of())).get("type").asText()).isEqualTo("list_type");
        client.send(Map.of("type", "user", "root_ids", List.of("n::" + "a".repeat(24), 7), "data", Map.of()));
        JsonNode reply = client.next();
        assertThat(reply.get("error").get(0).get("loc").toString()).isEqualTo("[\"root_ids\",1]");
    }

    @Test
    void dataThatIsNotAnObjectGetsAnError() {
        JsonNode e = errorFor(Map.of("type", "channel", "channel_ids", List.of("c"), "data", "hello"));
        assertThat(e.get("type").asText()).isEqualTo("dict_type");
        assertThat(e.get("loc").toString()).isEqualTo("[\"data\"]");
    }

    @Test
    void missingDataGetsAnError() {
        assertThat(errorFor(Map.of("type", "user", "root_ids", List.of("x"))).get("loc").toString()).isEqualTo("[\"data\"]");
    }

    @Test
    void everyProblemOfAFrameIsNamed() {
        client.send(Map.of("type", "channel", "channel_ids", List.of(), "data", 3));
        assertThat(client.next().get("error")).hasSize(2);
    }

    @Test
    void walkerEventWithoutWalkerNameGetsAnError() {
        JsonNode e = errorFor(Map.of("type", "walker", "context", Map.of()));
        assertThat(e.get("loc").toString()).isEqualTo("[\"walker\"]");
    }

    @Test
    void walkerEventWithContextThatIsNotAnObjectGetsAnError() {
        Map<String, Object> frame = new HashMap<>();
        frame.put("type", "walker");
        frame.put("walker", "echo");
        frame.put("context", List.of(1));
        assertThat(errorFor(frame).get("loc").toString()).isEqualTo("[\"context\"]");
    }

    @Test
    void changeUserWithATokenThatIsNotAStringGetsAnError() {
        assertThat(errorFor(Map.of("type", "change_user", "token", 42)).get("loc").toString()).isEqualTo("[\"token\"]");
    }

    @Test
    void binaryFrameGetsAnError() {
        client.sendBinary("{\"type\":\"connection\"}".getBytes());
        JsonNode reply = client.next();
        assertThat(reply.get("error").get(0).get("type").asText()).isEqualTo("binary_frame");
    }
}
