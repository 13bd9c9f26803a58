package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.http.ErrorReplies;
import io.walkerd.testing.CapturedLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over the socket too, replies carry no internals (an unexpected failure is {@code "internal error"} with an id the
 * log holds) and what a client sends reaches the log escaped.
 */
class SocketRepliesAndLogsTest {
    @RegisterExtension
    static final SocketServer server = new SocketServer();
    static final String FORGED = "x\n12:00:00.000 INFO  [main] i.w.server.WalkerdServer - admin logged in";

    static void assertNoInternals(JsonNode reply) {
        assertThat(reply.toString()).doesNotContain("java.").doesNotContainIgnoringCase("exception").doesNotContainIgnoringCase("mongodb")
                .doesNotContainIgnoringCase("jackson").doesNotContain("io.walkerd");
    }

    @Test
    void anUnexpectedWalkerFailureIsAnInternalErrorWithAnIdTheLogHolds() {
        try (CapturedLogs logs = CapturedLogs.of(ErrorReplies.class, io.walkerd.walker.WalkerRunner.class);
             WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(Map.of("type", "walker", "walker", "fail_with", "context", Map.of("message", "secret detail")));
            JsonNode reply = c.next();
            assertThat(reply.get("type").asText()).isEqualTo("walker");
            assertThat(reply.get("status").asInt()).isEqualTo(500);
            assertThat(reply.get("error").asText()).isEqualTo("internal error");
            String id = reply.get("error_id").asText();
            assertNoInternals(reply);
            assertThat(reply.toString()).doesNotContain("secret detail");
            assertThat(logs.printed()).anySatisfy(line -> assertThat(line).contains(id).contains("secret detail"));
        }
    }

    @Test
    void malformedFramesAreAnsweredWithoutParserInternals() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            for (String frame : List.of("{\"type\":", "{\"type\": 01}", "nul", "{\"type\":\"walker\",\"walker\":\"needs_number\",\"context\":{\"number\":\"x\"}}")) {
                c.send(frame);
                assertNoInternals(c.next());
            }
        }
    }

    @Test
    void aChannelIdWithANewlineIsLoggedOnOneLine() {
        // the connect line is written at DEBUG (one line per connect at INFO would slow a reconnect storm)
        try (CapturedLogs logs = CapturedLogs.atDebug(EventHandler.class);
             WsClient c = WsClient.connect(server.wsUrl() + "?channel_id=" + URLEncoder.encode(FORGED, StandardCharsets.UTF_8))) {
            assertThat(c.channelId()).isEqualTo(FORGED);
            assertThat(logs.printed()).anySatisfy(line -> assertThat(line).contains("channel x\\n12:00:00.000 INFO"));
            assertThat(logs.printed()).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
        }
    }

    @Test
    void aWalkerNameAndCloseReasonWithNewlinesAreLoggedOnOneLine() {
        try (CapturedLogs logs = CapturedLogs.of(EventHandler.class, Client.class)) {
            WsClient c = WsClient.connect(server.wsUrl());
            c.send(Map.of("type", "walker", "walker", FORGED));
            assertThat(c.next().get("status").asInt()).isEqualTo(404);
            c.closeCleanly();
            assertThat(logs.printed()).anySatisfy(line -> assertThat(line).contains("walker x\\n12:00:00.000"));
            assertThat(logs.printed()).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
        }
    }
}
