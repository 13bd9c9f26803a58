package io.walkerd.websocket;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code SOCKET_MAX_CONNECTIONS_PER_IP} and {@code SOCKET_MAX_CONNECTIONS_PER_USER}: the upgrade beyond either is
 * refused with 429, and a slot is free again once a socket ends. The address is the peer's, or the one
 * {@code X-Forwarded-For} names when the peer is one of {@code TRUSTED_PROXIES}. Each test has a server of its
 * own, since every socket of a test counts for 127.0.0.1.
 */
class ConnectionLimitsTest {

    static void closeAll(List<WsClient> clients) { clients.forEach(WsClient::close); }

    @Test
    void fiveSocketsFromOneAddressAreAcceptedTheSixthIs429() {
        try (SocketServer server = SocketServer.start(Map.of("SOCKET_MAX_CONNECTIONS_PER_IP", "5"))) {
            List<WsClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) open.add(WsClient.connect(server.wsUrl()));
                assertThat(WsClient.refusal(server.wsUrl(), null, Map.of())).isEqualTo(429);
                open.remove(0).closeCleanly();
                await().atMost(Duration.ofSeconds(5)).until(() -> server.plugin().openSockets() == 4);
                open.add(WsClient.connect(server.wsUrl()));
            } finally {
                closeAll(open);
            }
        }
    }

    @Test
    void aUsersFourthSocketIs429WhilePublicSocketsAreNotOneUser() {
        try (SocketServer server = SocketServer.start(Map.of("SOCKET_MAX_CONNECTIONS_PER_USER", "3"))) {
            String alice = server.http().newToken();
            List<WsClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) open.add(WsClient.connect(server.wsUrl(), alice));
                assertThat(WsClient.refusal(server.wsUrl(), alice, Map.of())).isEqualTo(429);
                open.add(WsClient.connect(server.wsUrl(), server.http().newToken()));
                for (int i = 0; i < 5; i++) open.add(WsClient.connect(server.wsUrl()));
            } finally {
                closeAll(open);
            }
        }
    }

    @Test
    void changeUserIntoAUserAtItsLimitIsRefusedAndTheSocketStaysWhoItWas() {
        try (SocketServer server = SocketServer.start(Map.of("SOCKET_MAX_CONNECTIONS_PER_USER", "2"))) {
            String alice = server.http().newToken();
            try (WsClient a1 = WsClient.connect(server.wsUrl(), alice);
                 WsClient a2 = WsClient.connect(server.wsUrl(), alice);
                 WsClient browser = WsClient.connect(server.wsUrl())) {
                browser.send(Map.of("type", "change_user", "token", "Bearer " + alice));
                var error = browser.next().get("error").get(0);
                assertThat(error.get("type").asText()).isEqualTo("too_many_connections");
                assertThat(error.get("msg").asText()).contains("SOCKET_MAX_CONNECTIONS_PER_USER");
                browser.send(Map.of("type", "connection"));
                assertThat(browser.next()).isEqualTo(browser.connection());
                a2.closeCleanly();
                await().atMost(Duration.ofSeconds(5)).until(() -> server.plugin().openSockets() == 2);
                browser.send(Map.of("type", "change_user", "token", alice));
                assertThat(browser.next().get("data").get("root_id").asText()).isEqualTo(a1.rootId());
            }
        }
    }

    @Test
    void behindATrustedProxyEachForwardedAddressCountsOnItsOwn() {
        try (SocketServer server = SocketServer.start(Map.of("SOCKET_MAX_CONNECTIONS_PER_IP", "2", "TRUSTED_PROXIES", "127.0.0.1"));
             WsClient m1 = WsClient.connect(server.wsUrl(), null, Map.of("X-Forwarded-For", "203.0.113.7"));
             WsClient m2 = WsClient.connect(server.wsUrl(), null, Map.of("X-Forwarded-For", "203.0.113.7"))) {
            assertThat(WsClient.refusal(server.wsUrl(), null, Map.of("X-Forwarded-For", "203.0.113.7"))).isEqualTo(429);
            try (WsClient other = WsClient.connect(server.wsUrl(), null, Map.of("X-Forwarded-For", "198.51.100.1"))) {
                assertThat(other.clientId()).isNotBlank();
            }
        }
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() {
        try (SocketServer server = SocketServer.start(Map.of("SOCKET_MAX_CONNECTIONS_PER_IP", "2"));
             WsClient c1 = WsClient.connect(server.wsUrl(), null, Map.of("X-Forwarded-For", "192.0.2.1"));
             WsClient c2 = WsClient.connect(server.wsUrl(), null, Map.of("X-Forwarded-For", "192.0.2.2"))) {
            assertThat(WsClient.refusal(server.wsUrl(), null, Map.of("X-Forwarded-For", "192.0.2.3"))).isEqualTo(429);
        }
    }
}
