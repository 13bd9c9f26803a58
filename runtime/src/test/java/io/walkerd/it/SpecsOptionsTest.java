package io.walkerd.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each walker specs option, seen from the routes it creates (protocol.md section 3). */
class SpecsOptionsTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();
    static String token;
    static String itemId;

    @BeforeAll
    static void start() {
        token = http.newToken();
        Http.Response created = http.post("/walker/build_items", Map.of("count", 1), token);
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        itemId = created.reports().get(0).path("id").asText();
    }

    /** The {@code loc} of every problem in a 422 body, e.g. {@code [["body","age"]]}. */
    private static List<List<String>> locs(Http.Response r) {
        List<List<String>> out = new ArrayList<>();
        for (JsonNode d : r.body().path("detail")) {
            List<String> loc = new ArrayList<>();
            d.path("loc").forEach(l -> loc.add(l.asText()));
            out.add(loc);
        }
        return out;
    }

    @Test
    void methodsChooseTheHttpMethods() {
        Http.Response get = http.get("/walker/get_only", null);
        assertThat(get.status()).as(get.toString()).isEqualTo(200);
        assertThat(get.reports().get(0).asText()).isEqualTo("get");
        assertThat(http.post("/walker/get_only", Map.of()).status()).isEqualTo(405);
    }

    @Test
    void pathVariablesBindFields() {
        Http.Response r = http.post("/walker/path_vars/x/items/7", Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.reports().get(0).asText()).isEqualTo("x:7");
    }

    @Test
    void pathVariableOfTheWrongTypeIs422NamingIt() {
        Http.Response r = http.post("/walker/path_vars/x/items/seven", Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(locs(r)).containsExactly(List.of("path", "b"));
    }

    @Test
    void asQueryReadsThatFieldFromTheQueryAndTheOthersFromTheBody() {
        Http.Response post = http.post("/walker/query_one?q=hi", Map.of("n", 5));
        assertThat(post.status()).as(post.toString()).isEqualTo(200);
        assertThat(post.reports().get(0).asText()).isEqualTo("hi:5");
        // in the body, q is not read
        Http.Response bodyOnly = http.post("/walker/query_one", Map.of("q", "body", "n", 5));
        assertThat(bodyOnly.status()).as(bodyOnly.toString()).isEqualTo(422);
        assertThat(locs(bodyOnly)).containsExactly(List.of("query", "q"));
    }

    @Test
    void asQueryStarReadsEveryFieldFromTheQuery() {
        Http.Response r = http.get("/walker/query_all?q=hi&n=4", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.reports().get(0).asText()).isEqualTo("hi:4");
    }

    @Test
    void authWalkerNeedsAToken() {
        assertThat(http.post("/walker/build_items", Map.of("count", 0)).status()).isEqualTo(401);
        assertThat(http.post("/walker/build_items", Map.of("count", 0), token).status()).isEqualTo(200);
    }

    @Test
    void authFalseWalkerWorksWithoutAToken() {
        assertThat(http.post("/walker/renamed_walker", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void privateWalkerHasNoRoute() {
        assertThat(http.post("/walker/hidden", Map.of(), token).status()).isEqualTo(404);
        assertThat(http.post("/walker/hidden/" + itemId, Map.of(), token).status()).isEqualTo(404);
    }

    @Test
    void entryTypeRootHasOnlyTheRootRoute() {
        Http.Response root = http.post("/walker/root_only", Map.of());
        assertThat(root.status()).as(root.toString()).isEqualTo(200);
        assertThat(root.reports().get(0).asText()).isEqualTo("root-only");
        assertThat(http.post("/walker/root_only/" + itemId, Map.of(), token).status()).isIn(404, 405);
    }

    @Test
    void entryTypeNodeHasOnlyTheNodeRoute() {
        assertThat(http.post("/walker/node_only", Map.of(), token).status()).isIn(404, 405);
        Http.Response onNode = http.post("/walker/node_only/" + itemId, Map.of(), token);
        assertThat(onNode.status()).as(onNode.toString()).isEqualTo(200);
        assertThat(onNode.reports().get(0).path("id").asText()).isEqualTo(itemId);
    }

    @Test
    void nameOverridesTheRouteName() {
        Http.Response r = http.post("/walker/renamed_walker", Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.reports().get(0).asText()).isEqualTo("renamed");
        assertThat(http.post("/walker/some_odd_name", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void missingRequiredFieldIs422NamingIt() {
        Http.Response r = http.post("/walker/needs_fields", Map.of("name", "ann"));
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(locs(r)).containsExactly(List.of("body", "age"));
        assertThat(r.body().path("detail").get(0).path("type").asText()).isEqualTo("missing");
    }

    @Test
    void wrongTypeIs422NamingTheField() {
        Http.Response r = http.post("/walker/needs_fields", Map.of("name", "ann", "age", "old"));
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(locs(r)).containsExactly(List.of("body", "age"));
        Http.Response fraction = http.post("/walker/needs_fields", Map.of("name", "ann", "age", 1.5));
        assertThat(locs(fraction)).containsExactly(List.of("body", "age"));
        Http.Response list = http.post("/walker/needs_fields", Map.of("name", "ann", "age", 3, "scores", List.of("x")));
        assertThat(locs(list)).containsExactly(List.of("body", "scores", "0"));
    }

    @Test
    void validFieldsReachTheWalker() {
        Http.Response r = http.post("/walker/needs_fields", Map.of("name", "ann", "age", 3, "scores", List.of(1, 2)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.reports().get(0).asText()).isEqualTo("ann:3:[1, 2]");
    }

    @Test
    void malformedJsonBodyIs422() {
        Http.Response r = http.post("/walker/needs_fields", "{\"age\": ");
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(locs(r)).containsExactly(List.of("body"));
    }

    @Test
    void unknownWalkerIs404() {
        assertThat(http.post("/walker/no_such_walker", Map.of(), token).status()).isEqualTo(404);
    }

    @Test
    void unlistedMethodIs405() {
        assertThat(http.send("PUT", "/walker/renamed_walker", Map.of(), null).status()).isEqualTo(405);
        assertThat(http.send("DELETE", "/walker/query_all", null, null).status()).isEqualTo(405);
    }
}
