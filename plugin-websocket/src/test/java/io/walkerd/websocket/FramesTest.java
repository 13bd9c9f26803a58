package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the socket does with websocket frames themselves (Jetty core hands it every frame): a text message in
 * fragments is one event, a ping is answered with its payload, a fragmented binary message gets one error.
 */
class FramesTest {
    @RegisterExtension
    static final SocketServer server = new SocketServer();

    @Test
    void aTextMessageSentInFragmentsIsOneEvent() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.sendFragments("{\"type\":\"chan", "nel\",\"channel_ids\":[\"" + c.channelId() + "\"],", "\"data\":{\"n\":1}}");
            JsonNode m = c.next();
            assertThat(m.path("n").asInt()).as(m.toString()).isEqualTo(1);
            c.send("{\"type\":\"connection\"}");
            assertThat(c.next()).isEqualTo(c.connection());
        }
    }

    @Test
    void aPingIsAnsweredWithItsPayload() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            ByteBuffer pong = c.ping("are you there".getBytes(StandardCharsets.UTF_8));
            assertThat(StandardCharsets.UTF_8.decode(pong).toString()).isEqualTo("are you there");
            c.send("{\"type\":\"connection\"}");
            assertThat(c.next()).isEqualTo(c.connection());
        }
    }
}
