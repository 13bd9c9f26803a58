package io.walkerd.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WireTest {
    private static ByteBuf text(String s) { return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8); }

    @Test
    void stampIsTheFirstTField() {
        assertThat(Wire.stamp(text("{\"t\":123456789,\"seq\":4}"))).isEqualTo(123456789L);
        assertThat(Wire.stamp(text("42[\"message\",{\"t\":42,\"step\":0}]"))).isEqualTo(42L);
        assertThat(Wire.stamp(text("{\"status\":200,\"reports\":[{\"t\":7,\"done\":true}]}"))).isEqualTo(7L);
        assertThat(Wire.stamp(text("{\"seq\":4}"))).isEqualTo(-1L);
    }

    @Test
    void walkerdConnectionEventMakesTheConnectionReady() {
        assertThat(Wire.WALKERD.classify(text("{\"type\":\"connection\",\"data\":{}}"), s -> {})).isEqualTo(Wire.Kind.READY);
        assertThat(Wire.WS.classify(text("{\"t\":1}"), s -> {})).isEqualTo(Wire.Kind.MESSAGE);
        assertThat(Wire.WALKERD.classify(text("{\"type\":\"walker\",\"error\":\"nope\"}"), s -> {})).isEqualTo(Wire.Kind.ERROR);
    }

    @Test
    void socketIoOpenIsAnsweredWithANamespaceConnectAndPingWithPong() {
        List<String> sent = new ArrayList<>();
        assertThat(Wire.SOCKETIO.classify(text("0{\"sid\":\"x\",\"pingInterval\":25000}"), sent::add)).isEqualTo(Wire.Kind.CONTROL);
        assertThat(Wire.SOCKETIO.classify(text("2"), sent::add)).isEqualTo(Wire.Kind.CONTROL);
        assertThat(sent).containsExactly("40", "3");
        assertThat(Wire.SOCKETIO.classify(text("40{\"sid\":\"y\"}"), sent::add)).isEqualTo(Wire.Kind.CONTROL);
        assertThat(Wire.SOCKETIO.classify(text("42[\"connection\",{}]"), sent::add)).isEqualTo(Wire.Kind.READY);
        assertThat(Wire.SOCKETIO.classify(text("42[\"message\",{\"t\":1}]"), sent::add)).isEqualTo(Wire.Kind.MESSAGE);
    }

    @Test
    void eventsWrapTheSameJsonBody() {
        assertThat(Wire.WALKERD.event("channel", "\"channel_ids\":[\"c\"]")).isEqualTo("{\"type\":\"channel\",\"channel_ids\":[\"c\"]}");
        assertThat(Wire.SOCKETIO.event("channel", "\"channel_ids\":[\"c\"]")).isEqualTo("42[\"channel\",{\"channel_ids\":[\"c\"]}]");
        assertThat(Wire.SOCKETIO.path("room 1", null)).isEqualTo("/socket.io/?EIO=4&transport=websocket&channel_id=room+1");
        assertThat(Wire.WALKERD.path("c", "n::1")).isEqualTo("/websocket?channel_id=c");
        assertThat(Wire.WS.path(null, "u1")).isEqualTo("/websocket?root_id=u1");
    }

    @Test
    void connectedIsTheConnectionEventOrSocketIosConnectAck() {
        assertThat(Wire.WALKERD.connected(text("{\"type\":\"connection\",\"data\":{}}"))).isTrue();
        assertThat(Wire.WS.connected(text("{\"t\":1}"))).isFalse();
        assertThat(Wire.SOCKETIO.connected(text("0{\"sid\":\"x\"}"))).isFalse();
        assertThat(Wire.SOCKETIO.connected(text("40{\"sid\":\"y\"}"))).isTrue();
        assertThat(Wire.SOCKETIO.connected(text("42[\"connection\",{}]"))).isFalse();
    }

    @Test
    void numberReadsAnyIntegerField() {
        assertThat(Wire.number(text("{\"t\":5,\"p\":2,\"seq\":17,\"body\":\"x\"}"), "\"seq\":")).isEqualTo(17L);
        assertThat(Wire.number(text("42[\"message\",{\"t\":5,\"p\":0}]"), "\"p\":")).isEqualTo(0L);
        assertThat(Wire.number(text("{\"t\":5}"), "\"p\":")).isEqualTo(-1L);
    }
}
