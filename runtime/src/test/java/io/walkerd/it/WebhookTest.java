package io.walkerd.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.auth.WebhookKeys;
import io.walkerd.graph.Id;
import io.walkerd.store.WebhookKeyRecord;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Webhook walkers with API keys, and the routes that manage the keys. */
class WebhookTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    record User(String token, String root) {}

    static User user() {
        JsonNode login = http.newUser();
        return new User(login.path("token").asText(), "n::" + login.path("user").path("root_id").asText());
    }

    static JsonNode generate(User u, Map<String, Object> body) {
        Http.Response r = http.post("/webhook/generate-key", body, u.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.body();
    }

    static String key(User u) {
        return generate(u, Map.of("name", "k" + Id.random().hex(), "walkers", List.of(), "nodes", List.of(),
                "expiration", Map.of("count", 60, "interval", "days"))).path("key").asText();
    }

    static Http.Response byHeader(String key) {
        return http.send("POST", "/webhook/walker/hook_by_header", Map.of(), null, key == null ? Map.of() : Map.of("X-Hook-Key", key));
    }

    @Test
    void aKeyWorksByHeaderQueryPathAndBodyAndTheWalkerRunsAsItsMakersRoot() {
        User u = user();
        String key = key(u);

        for (Http.Response r : List.of(
                byHeader(key),
                http.post("/webhook/walker/hook_by_query?hook_key=" + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8), Map.of()),
                http.post("/webhook/walker/hook_by_path/" + key, Map.of()),
                http.post("/webhook/walker/hook_by_body", Map.of("hook_key", key, "data", "payload")))) {
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.reports().get(0).asText()).isEqualTo(u.root());
            assertThat(r.reports().get(1).asText()).isEqualTo(u.root());
        }
        assertThat(http.post("/webhook/walker/hook_by_body", Map.of("hook_key", key, "data", "payload")).reports().get(2).asText())
                .isEqualTo("payload");
    }

    @Test
    void aMissingWrongExpiredOrDeletedKeyIs401() {
        User u = user();
        assertThat(byHeader(null).status()).isEqualTo(401);
        assertThat(byHeader("not-a-key").status()).isEqualTo(401);
        assertThat(http.post("/webhook/walker/hook_by_header", Map.of(), u.token()).status()).as("a token is not a key").isEqualTo(401);

        String expired = "expired-key-" + Id.random().hex();
        server.walkerd().store().store().createWebhookKey(new WebhookKeyRecord(Id.random(), "old", Id.of(u.root().substring(3)),
                List.of(), List.of(), Instant.now().minusSeconds(1), WebhookKeys.hash(expired)));
        Http.Response r = byHeader(expired);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body().path("error").asText()).contains("API key");

        JsonNode made = generate(u, Map.of("name", "soon gone"));
        assertThat(byHeader(made.path("key").asText()).status()).isEqualTo(200);
        Http.Response deleted = http.send("DELETE", "/webhook/delete", Map.of("ids", List.of(made.path("id").asText())), u.token());
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(byHeader(made.path("key").asText()).status()).as("revoked").isEqualTo(401);
    }

    @Test
    void aKeyIsLimitedToItsWalkersAndNodeTypes() {
        User u = user();
        String onlyHeader = generate(u, Map.of("name", "one walker", "walkers", List.of("hook_by_header"))).path("key").asText();
        assertThat(byHeader(onlyHeader).status()).isEqualTo(200);
        assertThat(http.post("/webhook/walker/hook_by_path/" + onlyHeader, Map.of()).status()).isEqualTo(401);

        String itemsOnly = generate(u, Map.of("name", "items", "nodes", List.of("Item"))).path("key").asText();
        assertThat(byHeader(itemsOnly).status()).as("the root is not an Item").isEqualTo(401);
        String item = http.post("/walker/build_items", Map.of("count", 1), u.token()).reports().get(0).path("id").asText();
        Http.Response onItem = http.send("POST", "/webhook/walker/hook_by_header/" + item, Map.of(), null, Map.of("X-Hook-Key", itemsOnly));
        assertThat(onItem.status()).as(onItem.toString()).isEqualTo(200);
        assertThat(onItem.reports().get(1).asText()).isEqualTo(item);

        String rootOnly = generate(u, Map.of("name", "root", "nodes", List.of("root"))).path("key").asText();
        assertThat(byHeader(rootOnly).status()).isEqualTo(200);
    }

    @Test
    void aWebhookWalkerIsNotAlsoAnOrdinaryWalker() {
        assertThat(http.post("/walker/hook_by_header", Map.of(), http.newToken()).status()).isEqualTo(404);
    }

    @Test
    void keysAreListedWithoutTheKeyAndStoredOnlyAsAHash() {
        User u = user();
        JsonNode made = generate(u, Map.of("name", "listed", "walkers", List.of("hook_by_query"), "nodes", List.of("root"),
                "expiration", Map.of("count", 2, "interval", "hours")));
        String key = made.path("key").asText();
        assertThat(key).startsWith(u.root().substring(3) + ":");

        Http.Response list = http.get("/webhook", u.token());
        assertThat(list.status()).isEqualTo(200);
        JsonNode listed = list.body().path("keys").get(0);
        assertThat(listed.path("id").asText()).isEqualTo(made.path("id").asText());
        assertThat(listed.path("name").asText()).isEqualTo("listed");
        assertThat(listed.path("root_id").asText()).isEqualTo(u.root().substring(3));
        assertThat(listed.path("walkers")).isEqualTo(Http.JSON.valueToTree(List.of("hook_by_query")));
        assertThat(listed.path("nodes")).isEqualTo(Http.JSON.valueToTree(List.of("root")));
        Instant expiration = Instant.parse(listed.path("expiration").asText());
        assertThat(expiration).isBetween(Instant.now().plusSeconds(7100), Instant.now().plusSeconds(7300));
        assertThat(list.raw()).doesNotContain(key);
        assertThat(http.get("/webhook", user().token()).body().path("keys")).as("another user's list").isEmpty();

        Map<String, JsonNode> stored = new HashMap<>();
        server.walkerd().store().store().exportAll(e -> { if (e.collection().equals("webhook")) stored.put(e.document().path("_id").asText(), e.document()); });
        JsonNode doc = stored.get(made.path("id").asText());
        assertThat(doc.toString()).doesNotContain(key.substring(key.lastIndexOf(':') + 1));
        assertThat(doc.path("key_hash").asText()).isEqualTo(WebhookKeys.hash(key));
    }

    @Test
    void extendingAKeyMovesItsExpirationOnAndOnlyItsOwnerMayExtendOrDeleteIt() {
        User u = user();
        User other = user();
        JsonNode made = generate(u, Map.of("name", "short", "expiration", Map.of("count", 1, "interval", "minutes")));
        String id = made.path("id").asText();

        assertThat(http.send("PATCH", "/webhook/extend/" + id, Map.of("count", 1, "interval", "days"), other.token()).status()).isEqualTo(404);
        Http.Response extended = http.send("PATCH", "/webhook/extend/" + id, Map.of("count", 1, "interval", "days"), u.token());
        assertThat(extended.status()).as(extended.toString()).isEqualTo(200);
        Instant until = Instant.parse(http.get("/webhook", u.token()).body().path("keys").get(0).path("expiration").asText());
        assertThat(until).isAfter(Instant.now().plusSeconds(86_400));

        http.send("DELETE", "/webhook/delete", Map.of("ids", List.of(id)), other.token());
        assertThat(byHeader(made.path("key").asText()).status()).as("not deleted by another user").isEqualTo(200);
    }

    @Test
    void theKeyRoutesNeedATokenAndValidInput() {
        User u = user();
        assertThat(http.post("/webhook/generate-key", Map.of("name", "x"), null).status()).isEqualTo(401);
        assertThat(http.get("/webhook", null).status()).isEqualTo(401);
        assertThat(http.post("/webhook/generate-key", Map.of(), u.token()).status()).isEqualTo(422);
        assertThat(http.post("/webhook/generate-key", Map.of("name", "x", "expiration", Map.of("count", 0)), u.token()).status()).isEqualTo(422);
        assertThat(http.post("/webhook/generate-key", Map.of("name", "x", "expiration", Map.of("interval", "weeks")), u.token()).status())
                .isEqualTo(422);
        generate(u, Map.of("name", "twice"));
        assertThat(http.post("/webhook/generate-key", Map.of("name", "twice"), u.token()).status()).isEqualTo(409);
        assertThat(http.send("PATCH", "/webhook/extend/nope", Map.of("count", 1), u.token()).status()).isEqualTo(404);
    }

    @Test
    void theApiDocsDescribeWebhookWalkersWithTheirKeys() {
        JsonNode doc = http.get("/openapi.json", null).body();
        JsonNode header = doc.at("/paths/~1webhook~1walker~1hook_by_header/post");
        assertThat(header.path("security").get(0).has("webhook_header_X-Hook-Key")).isTrue();
        assertThat(doc.at("/components/securitySchemes/webhook_header_X-Hook-Key/in").asText()).isEqualTo("header");
        assertThat(doc.at("/paths/~1webhook~1walker~1hook_by_body/post/requestBody/content/application~1json/schema/required"))
                .contains(com.fasterxml.jackson.databind.node.TextNode.valueOf("hook_key"));
        assertThat(doc.at("/paths/~1webhook~1generate-key/post").isObject()).isTrue();
        assertThat(doc.path("paths").has("/walker/hook_by_header")).isFalse();
    }
}
