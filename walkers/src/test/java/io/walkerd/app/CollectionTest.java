package io.walkerd.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walkerd.http.WalkerRoutes;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import io.walkerd.walker.WalkerRegistry;
import io.walkerd.walker.WalkerType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code collections/walkerd.insomnia.json} covers the example app and works against a real server. */
class CollectionTest {
    static final Set<String> EVENT_TYPES = Set.of("walker", "user", "channel", "client", "connection", "change_user",
            "join", "leave", "presence", "history");
    /** Events that always get a reply (a walker event only with {@code response: true}). */
    static final Set<String> ANSWERED = Set.of("connection", "change_user", "join", "leave", "presence", "history");
    static final Map<String, String> ID_PREFIXES = Map.of("workspace", "wrk_", "environment", "env_", "request_group", "fld_",
            "request", "req_", "websocket_request", "ws-req_", "websocket_payload", "ws-payload_");

    @RegisterExtension
    // the collection has a request for the conformance pack's websocket walker
    static final LiveServer server = new LiveServer(Map.of("WALKERD_CONFORMANCE", "true"));
    static final Http http = server.http();
    static final InsomniaCollection collection = InsomniaCollection.load();

    /** The example application's walkers: those of {@code io.walkerd.app}, not the test fixtures or conformance walkers. */
    static List<WalkerType> appWalkers() {
        WalkerRegistry registry = server.walkerd().walkers();
        List<WalkerType> app = new ArrayList<>();
        for (WalkerType w : registry.walkers()) if (w.type().getPackageName().startsWith("io.walkerd.app")) app.add(w);
        return app;
    }

    @Test
    void isAnInsomniaV4ExportWhoseResourcesHangTogether() {
        assertThat(collection.root.path("_type").asText()).isEqualTo("export");
        assertThat(collection.root.path("__export_format").asInt()).isEqualTo(4);
        assertThat(collection.resources("workspace")).hasSize(1);
        for (JsonNode r : collection.byId.values()) {
            String type = r.path("_type").asText();
            assertThat(ID_PREFIXES).as("resource type of " + r.path("_id")).containsKey(type);
            assertThat(r.path("_id").asText()).as("id of a " + type).startsWith(ID_PREFIXES.get(type));
            if (!type.equals("workspace")) {
                assertThat(collection.byId).as("parent of " + r.path("_id")).containsKey(r.path("parentId").asText());
            }
        }
        assertThat(collection.environment()).containsKeys("base_url", "ws_url", "token", "root_id", "channel_id", "client_id", "project_id");
    }

    @Test
    void everyRestRouteOfTheAppHasARequest() {
        List<String> requests = new ArrayList<>();
        for (InsomniaCollection.Http r : collection.httpRequests()) {
            requests.add(r.method().toUpperCase() + " " + r.url().replace("{{ _.base_url }}", ""));
        }
        List<String> missing = new ArrayList<>();
        List<WalkerRoutes.Route> routes = WalkerRoutes.routes(appWalkers());
        assertThat(routes).as("the app's routes").hasSizeGreaterThan(10);
        for (WalkerRoutes.Route route : routes) {
            Pattern p = Pattern.compile(route.method().toUpperCase() + " "
                    + Pattern.quote(route.path()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q"));
            if (requests.stream().noneMatch(r -> p.matcher(r).matches())) missing.add(route.method() + " " + route.path());
        }
        assertThat(missing).as("routes without a request in " + InsomniaCollection.FILE).isEmpty();
    }

    @Test
    void everyWebsocketEventTypeAndWebsocketWalkerHasARequestWithAReadyPayload() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> env = collection.environment();
        Set<String> types = new TreeSet<>();
        Set<String> walkers = new TreeSet<>();
        for (InsomniaCollection.Websocket ws : collection.websocketRequests()) {
            assertThat(ws.url()).as(ws.toString()).startsWith("{{ _.ws_url }}/websocket");
            assertThat(ws.payload()).as("payload of " + ws).isNotBlank();
            JsonNode payload = json.readTree(InsomniaCollection.render(ws.payload(), env));
            types.add(payload.path("type").asText());
            if (payload.has("walker")) walkers.add(payload.path("walker").asText());
        }
        assertThat(types).containsAll(EVENT_TYPES);
        Set<String> websocketWalkers = new TreeSet<>();
        for (WalkerType w : appWalkers()) if (w.methods().contains("websocket") && !w.isPrivate()) websocketWalkers.add(w.name());
        assertThat(walkers).containsAll(websocketWalkers);
    }

    @Test
    void everyHttpRequestSucceedsInOrderAgainstARealServer() {
        Map<String, String> env = collection.environment();
        env.put("base_url", server.baseUrl());
        env.put("ws_url", server.wsUrl());
        List<InsomniaCollection.Http> requests = collection.httpRequests();
        assertThat(requests).hasSizeGreaterThan(30);
        for (InsomniaCollection.Http r : requests) {
            StringBuilder path = new StringBuilder(InsomniaCollection.render(r.url(), env).substring(server.baseUrl().length()));
            String sep = "?";
            for (String[] q : r.parameters()) {
                path.append(sep).append(encode(q[0])).append('=').append(encode(InsomniaCollection.render(q[1], env)));
                sep = "&";
            }
            String token = null;
            if ("bearer".equals(r.authentication().path("type").asText())) {
                token = InsomniaCollection.render(r.authentication().path("token").asText(), env);
            }
            String body = r.body() == null ? null : InsomniaCollection.render(r.body(), env);
            Http.Response response = http.send(r.method(), path.toString(), body, token);
            assertThat(response.status()).as(r + " answered " + response).isBetween(200, 299);
            if (!r.afterResponseScript().isBlank()) InsomniaCollection.applyScript(r.afterResponseScript(), response.body(), env);
        }
        assertThat(env.get("token")).as("login stored the token").isNotBlank();
    }

    @Test
    void everyWebsocketRequestConnectsAndItsPayloadIsAnsweredWithoutAnError() {
        Map<String, String> env = collection.environment();
        env.put("ws_url", server.wsUrl());
        JsonNode alice = http.newUser(), bob = http.newUser();
        env.put("token", alice.get("token").asText());
        env.put("root_id", "n::" + alice.at("/user/root_id").asText());
        env.put("other_token", bob.get("token").asText());
        env.put("other_root_id", "n::" + bob.at("/user/root_id").asText());
        env.put("project_id", http.post("/walker/create_project", Map.of("name", "live"), alice.get("token").asText()).reports().get(0).get("id").asText());
        try (SocketClient target = SocketClient.connect(server.wsUrl() + "/websocket", bob.get("token").asText())) {
            env.put("client_id", target.info().get("client_id").asText());
            for (InsomniaCollection.Websocket ws : collection.websocketRequests()) {
                String token = null;
                for (String[] h : ws.headers()) {
                    if (h[0].equalsIgnoreCase("Authorization")) token = InsomniaCollection.render(h[1], env).replaceFirst("^Bearer ", "");
                }
                try (SocketClient client = SocketClient.connect(InsomniaCollection.render(ws.url(), env), token)) {
                    if (ws.url().contains("channel_id=")) assertThat(client.info().get("channel_id").asText()).isEqualTo(env.get("channel_id"));
                    JsonNode payload = SocketClient.JSON.readTree(InsomniaCollection.render(ws.payload(), env));
                    client.send(payload);
                    List<JsonNode> replies = client.drain(Duration.ofMillis(400));
                    assertThat(replies).as(ws + " answered").noneMatch(f -> f.has("error"));
                    boolean answers = payload.path("response").asBoolean(false) || ANSWERED.contains(payload.path("type").asText());
                    if (answers) assertThat(replies).as(ws + " answered").isNotEmpty();
                } catch (java.io.IOException e) {
                    throw new AssertionError(ws + ": " + e, e);
                }
            }
        }
    }

    private static String encode(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
