package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Timer;
import io.walkerd.auth.AdminAccess;
import io.walkerd.server.Config;
import io.walkerd.server.WalkerdServer;
import io.walkerd.testing.Http;
import io.walkerd.testing.TestServer;
import io.walkerd.walker.WalkerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The admin API: only {@code ADMIN_TOKEN} and users marked admin get in (401 without a credential, 403 for another
 * user); it reports this instance's connections and channels, finds channels by id, lists a channel's presence, and
 * streams its summary as server-sent events that follow connections as they come.
 */
class AdminApiTest {
    static final String ADMIN_TOKEN = "admin-token-0123456789abcdef0123456789";
    @RegisterExtension
    static final SocketServer server = new SocketServer(Map.of("ADMIN_TOKEN", ADMIN_TOKEN));
    static final Http http = server.http();

    @Test
    void withoutACredentialTheApiAnswers401() {
        for (String path : List.of("/admin/api/summary", "/admin/api/channels", "/admin/api/presence?channel_id=x", "/admin/api/stream")) {
            Http.Response r = http.get(path, null);
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
        assertThat(http.get("/admin/api/summary", "not-a-token").status()).isEqualTo(401);
        assertThat(http.get("/admin/api/summary", ADMIN_TOKEN + "x").status()).isEqualTo(401);
    }

    @Test
    void aUserWhoIsNoAdminGets403() {
        Http.Response r = http.get("/admin/api/summary", http.newToken());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body().get("error").asText()).contains("not an admin");
    }

    @Test
    void theAdminTokenAndTheTokenOfAUserMarkedAdminGetIn() {
        assertThat(http.get("/admin/api/summary", ADMIN_TOKEN).status()).isEqualTo(200);

        JsonNode user = http.newUser();
        String token = user.get("token").asText();
        assertThat(http.get("/admin/api/summary", token).status()).isEqualTo(403);
        assertThat(AdminAccess.mark(server.walkerd().store().store(), user.path("user").path("email").asText(), true)).isTrue();
        assertThat(http.get("/admin/api/summary", token).status()).as("the same token, from its next request").isEqualTo(200);
        AdminAccess.mark(server.walkerd().store().store(), user.path("user").path("email").asText(), false);
        assertThat(http.get("/admin/api/summary", token).status()).isEqualTo(403);
    }

    @Test
    void theSummaryCountsThisInstancesConnectionsByAuthentication() {
        String channel = "count-" + UUID.randomUUID();
        try (WsClient public1 = WsClient.connect(server.wsUrl() + "?channel_id=" + channel);
             WsClient public2 = WsClient.connect(server.wsUrl() + "?channel_id=" + channel);
             WsClient user = WsClient.connect(server.wsUrl(), http.newToken())) {
            // the other tests' connections may still be ending
            JsonNode s = await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/admin/api/summary", ADMIN_TOKEN).body(),
                    b -> b.path("connections").path("open_sockets").asInt() == 3);
            assertThat(s.path("connections").path("public").asInt()).isEqualTo(2);
            assertThat(s.path("connections").path("authenticated").asInt()).isEqualTo(1);
            assertThat(s.path("channels").asInt()).isEqualTo(2); // the shared one, and the user's fresh one
            assertThat(s.path("memberships").asInt()).isEqualTo(3);
            assertThat(s.path("broker").path("kind").asText()).isEqualTo("local");
            assertThat(s.path("history").path("on").asBoolean()).isTrue();
            assertThat(s.path("rates").path("messages_out").isArray()).isTrue();
            assertThat(s.path("instance").asText()).isEqualTo(server.walkerd().instanceId());
        }
    }

    @Test
    void channelsAreFoundByPartOfTheirIdMostMembersFirst() {
        String tag = UUID.randomUUID().toString();
        try (WsClient a1 = WsClient.connect(server.wsUrl() + "?channel_id=Search-" + tag + "-a");
             WsClient a2 = WsClient.connect(server.wsUrl() + "?channel_id=search-" + tag + "-b");
             WsClient b1 = WsClient.connect(server.wsUrl() + "?channel_id=search-" + tag + "-b");
             WsClient other = WsClient.connect(server.wsUrl() + "?channel_id=elsewhere")) {
            JsonNode found = http.get("/admin/api/channels?q=" + ("SEARCH-" + tag).toUpperCase(), ADMIN_TOKEN).body();
            assertThat(found.get("total").asInt()).isEqualTo(2);
            assertThat(found.get("channels").get(0).get("channel_id").asText()).isEqualTo("search-" + tag + "-b");
            assertThat(found.get("channels").get(0).get("members").asInt()).isEqualTo(2);
            assertThat(found.get("channels").get(1).get("channel_id").asText()).isEqualTo("Search-" + tag + "-a");
            assertThat(found.get("channels").get(1).get("members").asInt()).isEqualTo(1);

            JsonNode first = http.get("/admin/api/channels?limit=1&q=" + tag, ADMIN_TOKEN).body();
            assertThat(first.get("total").asInt()).isEqualTo(2);
            assertThat(first.get("channels")).hasSize(1);
            assertThat(http.get("/admin/api/channels?limit=many", ADMIN_TOKEN).status()).isEqualTo(400);

            JsonNode presence = http.get("/admin/api/presence?channel_id=" + URLEncoder.encode("search-" + tag + "-b", StandardCharsets.UTF_8),
                    ADMIN_TOKEN).body();
            assertThat(presence.get("count").asInt()).isEqualTo(2);
            List<String> clients = new ArrayList<>();
            presence.get("clients").forEach(c -> clients.add(c.get("client_id").asText()));
            assertThat(clients).containsExactlyInAnyOrder(a2.clientId(), b1.clientId());
            assertThat(http.get("/admin/api/presence", ADMIN_TOKEN).status()).isEqualTo(400);
        }
    }

    @Test
    void theSlowestWalkersComeFromTheRuntimesWalkerTimerByWalker() {
        var registry = server.walkerd().metrics().registry();
        Timer.builder(AdminFeed.WALKER_DURATION).tag("walker", "admin_test_slow").tag("status", "200").register(registry)
                .record(Duration.ofSeconds(30));
        Timer.builder(AdminFeed.WALKER_DURATION).tag("walker", "admin_test_slow").tag("status", "500").register(registry)
                .record(Duration.ofSeconds(10));
        JsonNode slowest = http.get("/admin/api/summary", ADMIN_TOKEN).body().get("slowest_walkers");
        assertThat(slowest.get(0).get("walker").asText()).isEqualTo("admin_test_slow");
        assertThat(slowest.get(0).get("calls").asLong()).isEqualTo(2);
        assertThat(slowest.get(0).get("mean_ms").asDouble()).isEqualTo(20_000);
        assertThat(slowest.get(0).get("max_ms").asDouble()).isEqualTo(30_000);
    }

    @Test
    void theStreamSendsTheSummaryAndFollowsANewConnectionWithinASecond() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.walkerd().baseUrl() + "/admin/api/stream"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Accept", "text/event-stream").build();
        HttpResponse<java.io.InputStream> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        BlockingQueue<JsonNode> summaries = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> readEvents(r.body(), summaries), "admin-stream-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            JsonNode first = summaries.poll(10, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            int before = first.path("connections").path("public").asInt();
            try (WsClient c = WsClient.connect(server.wsUrl())) {
                long opened = System.nanoTime();
                JsonNode s;
                do {
                    s = summaries.poll(10, TimeUnit.SECONDS);
                    assertThat(s).isNotNull();
                } while (s.path("connections").path("public").asInt() != before + 1);
                assertThat(Duration.ofNanos(System.nanoTime() - opened)).isLessThan(Duration.ofSeconds(1));
            }
        } finally {
            r.body().close();
            reader.interrupt();
        }
    }

    /** Reads {@code event: summary} / {@code data: ...} blocks until the stream ends. */
    private static void readEvents(java.io.InputStream body, BlockingQueue<JsonNode> out) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String event = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("event:")) event = line.substring(6).trim();
                else if (line.startsWith("data:") && "summary".equals(event)) out.add(Http.JSON.readTree(line.substring(5).trim()));
            }
        } catch (java.io.IOException closed) {
            // the test closed the stream
        }
    }

    @Test
    void anAdminTokenShorterThan32CharactersStopsTheServerFromStarting() {
        assertThatThrownBy(() -> WalkerdServer.start(Config.of(TestServer.settings(Map.of("ADMIN_TOKEN", "short-admin-token"))),
                WalkerRegistry.discover(Thread.currentThread().getContextClassLoader()), List.of(new WebsocketPlugin())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ADMIN_TOKEN must be at least 32 characters");
    }

    @Test
    void thePageAndItsFilesAreServedUnderTheContentSecurityPolicyWithoutInlineScript() {
        Http.Response page = http.get("/admin", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe-inline");
        assertThat(page.raw()).contains("<script type=\"module\" src=\"/admin/admin.js\"></script>").doesNotContain("<script>")
                .doesNotContain(" style=\"").doesNotContain("onclick");
        assertThat(http.get("/admin/admin.js", null).header("Content-Type")).startsWith("text/javascript");
        assertThat(http.get("/admin/admin.css", null).header("Content-Type")).startsWith("text/css");
    }
}
