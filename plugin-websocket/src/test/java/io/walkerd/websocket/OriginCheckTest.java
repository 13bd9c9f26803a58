package io.walkerd.websocket;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code SOCKET_ALLOWED_ORIGINS}: a browser upgrade from another Origin is refused with 403; one without an Origin
 * (not a browser page) is let through. Unset, any Origin connects, as in jac-cloud.
 */
class OriginCheckTest {

    @Test
    void anUpgradeFromAnotherOriginIs403() {
        try (SocketServer server = SocketServer.start(Map.of("SOCKET_ALLOWED_ORIGINS", "https://app.example.com, http://localhost:5173"))) {
            assertThat(WsClient.refusal(server.wsUrl(), null, Map.of("Origin", "https://evil.example"))).isEqualTo(403);
            assertThat(WsClient.refusal(server.wsUrl(), null, Map.of("Origin", "https://app.example.com.evil.example"))).isEqualTo(403);
            assertThat(WsClient.refusal(server.wsUrl(), null, Map.of("Origin", "null"))).isEqualTo(403);
        }
    }

    @Test
    void anUpgradeFromAnAllowedOriginOrWithoutOneConnects() {
        try (SocketServer server = SocketServer.start(Map.of("SOCKET_ALLOWED_ORIGINS", "https://app.example.com, http://localhost:5173"));
             WsClient page = WsClient.connect(server.wsUrl(), null, Map.of("Origin", "https://APP.example.com"));
             WsClient dev = WsClient.connect(server.wsUrl(), null, Map.of("Origin", "http://localhost:5173"));
             WsClient nativeClient = WsClient.connect(server.wsUrl())) {
            assertThat(page.clientId()).isNotEqualTo(nativeClient.clientId());
            assertThat(dev.clientId()).isNotBlank();
        }
    }

    @Test
    void unsetAnyOriginConnectsAsInJacCloud() {
        try (SocketServer server = SocketServer.start(Map.of());
             WsClient c = WsClient.connect(server.wsUrl(), null, Map.of("Origin", "https://evil.example"))) {
            assertThat(c.clientId()).isNotBlank();
        }
    }
}
