package io.walkerd.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.graph.Archetype;
import io.walkerd.testing.Http;
import io.walkerd.testing.Http.Response;
import io.walkerd.testing.TestServer;
import io.walkerd.walker.WalkerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jac-cloud's {@code test_simple_graph.py} flows, over real HTTP against a server run with
 * {@code SHOW_ENDPOINT_RETURNS=true}, as three registered users. Each test starts from an empty graph for the
 * users it changes, so the tests do not depend on one another's order.
 */
class SimpleGraphTest {
    /** A registered user: its token and its root's ref id. */
    record User(String token, String rootRef) {}

    static final JsonNode NULL = Http.JSON.nullNode();

    static final JsonNode CREATED = json("""
            {"val": 0, "arr": [], "data": {},
             "parent": {"val": 1, "arr": [1], "data": {"a": 1},
                        "child": {"val": 2, "arr": [1, 2], "data": {"a": 1, "b": 2}, "enum_field": "C"},
                        "enum_field": "B"},
             "enum_field": "A"}""");

    static final JsonNode UPDATED = json("""
            {"val": 1, "arr": [1], "data": {"a": 1},
             "parent": {"val": 2, "arr": [1, 2], "data": {"a": 1, "b": 2},
                        "child": {"val": 3, "arr": [1, 2, 3], "data": {"a": 1, "b": 2, "c": 3}, "enum_field": "A"},
                        "enum_field": "C"},
             "enum_field": "B"}""");

    static TestServer server;
    static Http http;
    static User first;
    static User second;
    static User third;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("SHOW_ENDPOINT_RETURNS", "true", "WALKERD_CONFORMANCE", "true"));
        http = server.http();
        first = register();
        second = register();
        third = register();
    }

    @AfterAll
    static void stop() { server.close(); }

    // ---- create / traverse / detach / update ---------------------------------------------------------------

    @Nested
    class GraphFlow {
        @Test
        void createGraphReportsRootThenABCAndReturnsOneNull() {
            reset(first);
            Response res = call(first, "create_graph");

            assertThat(res.returns()).containsExactly(NULL);
            assertChain(res.reports(), 0, 1, 2);
        }

        @Test
        void traverseGraphReportsTheChainAndFromEachNodeTheNodesBelowIt() {
            reset(first);
            call(first, "create_graph");

            Response res = call(first, "traverse_graph");
            assertThat(res.returns()).containsExactly(NULL, NULL, NULL, NULL);
            assertChain(res.reports(), 0, 1, 2);
            assertEachNodeSeesTheRestOfTheChain(res.reports(), 0, 1, 2);
        }

        @Test
        void detachNodeCutsBFromCReturningTrueAndReportingNothing() {
            reset(first);
            call(first, "create_graph");

            Response res = call(first, "detach_node");
            assertThat(res.returns()).containsExactly(NULL, NULL, json("true"));
            assertThat(res.body().has("reports")).as(res.raw()).isFalse();

            Response after = call(first, "traverse_graph");
            assertThat(after.returns()).containsExactly(NULL, NULL, NULL);
            assertChain(after.reports(), 0, 1);
            assertEachNodeSeesTheRestOfTheChain(after.reports(), 0, 1);
        }

        @Test
        void updateGraphSetsAAndBAndTheChangesPersist() {
            reset(first);
            call(first, "create_graph");
            call(first, "detach_node");

            Response res = call(first, "update_graph");
            assertThat(res.returns()).containsExactly(NULL, NULL, NULL);
            assertChain(res.reports(), 1, 2);

            Response after = call(first, "traverse_graph");
            assertThat(after.returns()).containsExactly(NULL, NULL, NULL);
            assertChain(after.reports(), 1, 2);
            assertEachNodeSeesTheRestOfTheChain(after.reports(), 1, 2);
        }

        /** Reports are the root ({@code {}}) then A, B, C... with these vals. */
        private void assertChain(JsonNode reports, int... vals) {
            assertThat(reports).hasSize(vals.length + 1);
            assertThat(reports.get(0).path("id").asText()).startsWith("n::");
            assertThat(reports.get(0).path("context")).isEqualTo(json("{}"));
            String[] types = {"A", "B", "C"};
            for (int i = 0; i < vals.length; i++) {
                JsonNode report = reports.get(i + 1);
                assertThat(report.path("id").asText()).startsWith("n:" + types[i] + ":");
                assertThat(report.path("context")).isEqualTo(json("{\"val\": " + vals[i] + "}"));
            }
        }

        /** Spawned on each reported node but the root, traverse_graph yields that node and the ones below it. */
        private void assertEachNodeSeesTheRestOfTheChain(JsonNode reports, int... vals) {
            for (int i = 0; i < vals.length; i++) {
                Response res = call(first, "traverse_graph/" + reports.get(i + 1).path("id").asText());
                assertThat(res.returns()).as(res.raw()).hasSize(vals.length - i).containsOnly(NULL);
                List<JsonNode> contexts = new ArrayList<>();
                res.reports().forEach(r -> contexts.add(r.path("context")));
                List<JsonNode> expected = new ArrayList<>();
                for (int j = i; j < vals.length; j++) expected.add(json("{\"val\": " + vals[j] + "}"));
                assertThat(contexts).containsExactlyElementsOf(expected);
            }
        }
    }

    // ---- the nested node -----------------------------------------------------------------------------------

    @Nested
    class NestedNode {
        @Test
        void createNestedNodeReturnsTheNodeWithEveryNestedField() {
            reset(second);
            Response res = call(second, "create_nested_node");

            assertThat(res.returns()).hasSize(1);
            assertThat(res.returns().get(0).path("id").asText()).startsWith("n:Nested:");
            assertThat(res.returns().get(0).path("context")).isEqualTo(CREATED);
            assertThat(ownedDocuments(second)).as("root, the node and its edge").isEqualTo(3);
        }

        @Test
        void updateNestedNodeChangesEveryLevelAndTheChangesPersist() {
            reset(second);
            call(second, "create_nested_node");

            Response res = call(second, "update_nested_node");
            assertThat(res.returns()).hasSize(1);
            assertThat(res.returns().get(0).path("context")).isEqualTo(UPDATED);

            Response visited = call(second, "visit_nested_node");
            assertThat(visited.returns()).hasSize(1);
            assertThat(visited.returns().get(0).path("context")).isEqualTo(UPDATED);
        }

        @Test
        void updateNestedNodeSpawnedOnTheNodeChangesThatNode() {
            reset(second);
            String id = call(second, "create_nested_node").returns().get(0).path("id").asText();

            Response res = call(second, "update_nested_node/" + id);
            assertThat(res.returns()).hasSize(1);
            assertThat(res.returns().get(0).path("id").asText()).isEqualTo(id);
            assertThat(res.returns().get(0).path("context")).isEqualTo(UPDATED);

            Response visited = call(second, "visit_nested_node/" + id);
            assertThat(visited.returns().get(0).path("context")).isEqualTo(UPDATED);
        }

        @Test
        void visitNestedNodeReturnsTheEmptyListWhenRootHasNoNestedChild() {
            reset(second);
            assertThat(call(second, "visit_nested_node").returns()).containsExactly(json("[]"));
        }

        @Test
        void detachNestedNodeReturnsTrueAndRootHasNoNestedChildLeft() {
            reset(second);
            call(second, "create_nested_node");

            assertThat(call(second, "detach_nested_node").returns()).containsExactly(json("true"));
            assertThat(call(second, "visit_nested_node").returns()).containsExactly(json("[]"));
        }

        @Test
        void deleteNestedNodeDestroysItAndItsEdgeAndReportsNoNestedChildLeft() {
            reset(second);
            call(second, "create_nested_node");

            Response res = call(second, "delete_nested_node");
            assertThat(res.reports()).containsExactly(json("[]"));
            assertThat(call(second, "visit_nested_node").returns()).containsExactly(json("[]"));
            assertThat(ownedDocuments(second)).as("only the root is left").isEqualTo(1);
        }

        @Test
        void deleteNestedEdgeDestroysRootsEdgeAndReportsNoNestedChildLeft() {
            reset(second);
            call(second, "create_nested_node");

            Response res = call(second, "delete_nested_edge");
            assertThat(res.reports()).containsExactly(json("[]"));
            assertThat(call(second, "visit_nested_node").returns()).containsExactly(json("[]"));
        }
    }

    // ---- sharing with other roots --------------------------------------------------------------------------

    /** {@code second} owns the nested node; {@code first} is the other user, {@code third} a bystander. */
    @Nested
    class AccessGrants {
        @Test
        void grantOnTheNodeLetsTheOtherUserReadThenWriteItUntilRevoked() {
            String node = createSharedNode();
            shareAndRevoke(node, "/" + node, false, null, "WRITE");
            assertThat(visitAs(third, node).status()).as("a grant to one root is not for everyone").isEqualTo(403);
        }

        @Test
        void grantOnTheRootCoversEveryNodeAndEdgeItOwnsUntilRevoked() {
            String node = createSharedNode();
            allow("", Map.of("root_id", first.rootRef(), "level", "READ"));

            Response viaRootsEdge = call(first, "visit_nested_node/" + second.rootRef());
            assertThat(viaRootsEdge.returns().get(0).path("id").asText()).as("the root's edge is readable too").isEqualTo(node);
            disallow("", Map.of("root_id", first.rootRef()));

            shareAndRevoke(node, "", false, "READ", "WRITE");
        }

        @Test
        void allOnTheNodeLetsEveryOtherUserReadThenWriteItUntilRevoked() {
            String node = createSharedNode();
            allow("/" + node, Map.of("root_id", first.rootRef(), "via_all", true));
            assertThat(visitAs(third, node).status()).as("all is for every other root").isEqualTo(200);
            disallow("/" + node, Map.of("root_id", first.rootRef(), "via_all", true));

            shareAndRevoke(node, "/" + node, true, 0, 2);
        }

        @Test
        void allOnTheRootCoversEveryNodeForEveryOtherUserUntilRevoked() {
            String node = createSharedNode();
            allow("", Map.of("root_id", first.rootRef(), "via_all", true));
            assertThat(visitAs(third, node).status()).as("all is for every other root").isEqualTo(200);
            disallow("", Map.of("root_id", first.rootRef(), "via_all", true));

            shareAndRevoke(node, "", true, null, 2);
            assertThat(visitAs(third, node).status()).isEqualTo(403);
        }

        @Test
        void grantOnTheNodeWinsOverTheGrantOnTheRoot() {
            String node = createSharedNode();
            allow("", Map.of("root_id", first.rootRef(), "level", "WRITE"));
            assertThat(visitAs(first, node).status()).as("WRITE on the root reaches the node").isEqualTo(200);

            allow("/" + node, Map.of("root_id", first.rootRef(), "level", "READ"));
            assertThat(call(first, "update_nested_node/" + node).returns().get(0).path("context")).isEqualTo(UPDATED);
            assertThat(visitAs(first, node).returns().get(0).path("context"))
                    .as("READ on the node despite WRITE on the root").isEqualTo(CREATED);

            allow("/" + node, Map.of("root_id", first.rootRef(), "level", -1));
            assertThat(visitAs(first, node).status()).as("NO_ACCESS on the node despite WRITE on the root").isEqualTo(403);

            allow("", Map.of("root_id", first.rootRef(), "level", "NO_ACCESS"));
            allow("/" + node, Map.of("root_id", first.rootRef(), "level", 2));
            assertThat(call(first, "update_nested_node/" + node).returns().get(0).path("context")).isEqualTo(UPDATED);
            assertThat(visitAs(first, node).returns().get(0).path("context"))
                    .as("WRITE on the node despite NO_ACCESS on the root").isEqualTo(UPDATED);

            disallow("", Map.of("root_id", first.rootRef()));
            disallow("/" + node, Map.of("root_id", first.rootRef()));
            assertThat(visitAs(first, node).status()).isEqualTo(403);
        }

        @Test
        void aLevelThatIsNeitherANameNorMinusOneToTwoIsRejectedNamingTheField() {
            Response res = http.post("/walker/allow_other_root_access", Map.of("root_id", first.rootRef(), "level", 3), second.token());
            assertThat(res.status()).as(res.raw()).isEqualTo(422);
            assertThat(res.body().path("detail").get(0).path("loc")).isEqualTo(json("[\"body\", \"level\"]"));
        }

        /**
         * jac-cloud's access validation flow: no access (403); with READ the other user's update is shown but not
         * saved; with WRITE it is saved; after the revoke, 403 again. {@code readLevel} null leaves the walker's
         * default (READ).
         */
        private void shareAndRevoke(String node, String grantOn, boolean viaAll, Object readLevel, Object writeLevel) {
            Response denied = visitAs(first, node);
            assertThat(denied.status()).as(denied.raw()).isEqualTo(403);
            assertThat(denied.body()).isEqualTo(Http.JSON.createObjectNode()
                    .put("error", "You don't have access on target entry " + node + "!"));

            Map<String, Object> read = new HashMap<>(Map.of("root_id", first.rootRef(), "via_all", viaAll));
            if (readLevel != null) read.put("level", readLevel);
            allow(grantOn, read);
            Response updated = call(first, "update_nested_node/" + node);
            assertThat(updated.returns().get(0).path("context")).isEqualTo(UPDATED);
            assertThat(visitAs(first, node).returns().get(0).path("context")).as("READ does not save").isEqualTo(CREATED);

            allow(grantOn, Map.of("root_id", first.rootRef(), "level", writeLevel, "via_all", viaAll));
            assertThat(call(first, "update_nested_node/" + node).returns().get(0).path("context")).isEqualTo(UPDATED);
            assertThat(visitAs(first, node).returns().get(0).path("context")).as("WRITE saves").isEqualTo(UPDATED);

            disallow(grantOn, Map.of("root_id", first.rootRef(), "via_all", viaAll));
            assertThat(visitAs(first, node).status()).isEqualTo(403);
        }

        private String createSharedNode() {
            reset(second);
            Response res = call(second, "create_nested_node");
            assertThat(res.returns().get(0).path("context")).isEqualTo(CREATED);
            return res.returns().get(0).path("id").asText();
        }

        private void allow(String on, Map<String, Object> body) {
            Response res = http.post("/walker/allow_other_root_access" + on, body, second.token());
            assertThat(res.status()).as(res.raw()).isEqualTo(200);
        }

        private void disallow(String on, Map<String, Object> body) {
            Response res = http.post("/walker/disallow_other_root_access" + on, body, second.token());
            assertThat(res.status()).as(res.raw()).isEqualTo(200);
        }

        private Response visitAs(User user, String node) {
            return http.post("/walker/visit_nested_node/" + node, Map.of(), user.token());
        }
    }

    // ---- status and body -----------------------------------------------------------------------------------

    @Nested
    class StatusAndBody {
        @ParameterizedTest
        @ValueSource(ints = {200, 201, 202, 203, 205, 206, 207, 208, 226,
                400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418,
                421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
                500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511})
        void customStatusCodeAnswersWithTheStatusItSets(int status) {
            Response res = http.post("/walker/custom_status_code", Map.of("status", status), first.token());
            assertThat(res.status()).as(res.raw()).isEqualTo(status);
            assertThat(res.body().path("status").asInt()).isEqualTo(status);
            assertThat(res.returns()).containsExactly(NULL);
        }

        @ParameterizedTest
        @ValueSource(ints = {100, 101, 102, 103, 204, 300, 301, 302, 303, 304, 305, 306, 307, 308, 600, 199, 0, -1})
        void customStatusCodeOutsideTheRuleIsA500NamingTheStatus(int status) {
            Response res = http.post("/walker/custom_status_code", Map.of("status", status), first.token());
            assertThat(res.status()).as(res.raw()).isEqualTo(500);
            assertThat(res.body().path("error").asText()).startsWith("Invalid status code " + status + ":");
        }

        @Test
        void customReportReplacesTheWholeBody() {
            Response res = http.post("/walker/custom_report", Map.of(), null);
            assertThat(res.status()).as(res.raw()).isEqualTo(200);
            assertThat(res.body()).isEqualTo(json("{\"testing\": 1}"));
        }
    }

    // ---- populate, traverse, count, purge ------------------------------------------------------------------

    @Nested
    class PopulateAndPurge {
        @Test
        void populateGraphRunsOneAbilityOnTheRootAndOnEachNodeAboveTheLeaves() {
            reset(third);
            Response res = call(third, "populate_graph");
            assertThat(res.returns()).hasSize(31).containsOnly(NULL);
        }

        @Test
        void traversePopulatedGraphReportsRootThenEachLevelBreadthFirst() {
            reset(third);
            call(third, "populate_graph");

            Response res = call(third, "traverse_populated_graph");
            assertThat(res.returns()).hasSize(63).containsOnly(NULL);
            JsonNode reports = res.reports();
            assertThat(reports.get(0).path("id").asText()).startsWith("n::");
            assertThat(reports.get(0).path("context")).isEqualTo(json("{}"));
            int at = 1;
            int width = 2;
            for (String type : List.of("D", "E", "F", "G", "H")) {
                for (int i = 0; i < width; i++, at++) {
                    assertThat(reports.get(at).path("id").asText()).startsWith("n:" + type + ":");
                    assertThat(reports.get(at).path("context")).isEqualTo(json("{\"id\": " + i % 2 + "}"));
                }
                width *= 2;
            }
            assertThat(reports).hasSize(at);
        }

        @Test
        void checkPopulatedGraphCountsTheRootAndEveryNodeAndEdgeItOwns() {
            reset(third);
            call(third, "populate_graph");

            Response res = call(third, "check_populated_graph");
            assertThat(res.returns()).containsExactly(NULL);
            assertThat(res.reports()).containsExactly(json("125"));
        }

        @Test
        void purgePopulatedGraphDeletesAllButTheRootAndReportsHowMany() {
            reset(third);
            call(third, "populate_graph");

            Response res = call(third, "purge_populated_graph");
            assertThat(res.returns()).containsExactly(NULL);
            assertThat(res.reports()).containsExactly(json("124"));

            Response after = call(third, "check_populated_graph");
            assertThat(after.reports()).containsExactly(json("1"));
        }
    }

    // ---- call order ----------------------------------------------------------------------------------------

    @Nested
    class CallOrder {
        @Test
        void visitSequenceReturnsEveryAbilityInCallOrder() {
            reset(first);
            Response res = call(first, "visit_sequence");

            assertThat(texts(res.returns())).containsExactlyElementsOf(sequence("a", "b", "c"));
        }

        @Test
        void visitSequenceNeedsNoToken() {
            Response res = http.post("/walker/visit_sequence", Map.of(), null);
            assertThat(res.status()).as(res.raw()).isEqualTo(200);
            assertThat(res.returns().get(0).asText()).isEqualTo("walker entry");
            assertThat(res.returns().get(res.returns().size() - 1).asText()).isEqualTo("walker exit");
        }

        @Test
        void sequenceNodeIsTheNodeTypeNamedNode() {
            assertThat(Archetype.typeName(VisitSequence.SequenceNode.class)).isEqualTo("Node");
            assertThat(WalkerRegistry.discover(getClass().getClassLoader()).nodeType("Node"))
                    .isEqualTo(VisitSequence.SequenceNode.class);
        }

        @Test
        void sequenceNodesSavedByOneWalkAreLoadedBackByTheNext() {
            reset(first);
            call(first, "visit_sequence");
            Response res = call(first, "visit_sequence");

            assertThat(texts(res.returns())).containsExactlyElementsOf(sequence("a", "b", "c", "a", "b", "c"));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** The returns visit_sequence gives when root's Node children have these vals, in order. */
    static List<String> sequence(String... vals) {
        List<String> out = new ArrayList<>(List.of("walker entry", "walker enter to root"));
        for (String val : vals) {
            for (int step = 1; step <= 6; step++) out.add(val + "-" + step);
        }
        out.add("walker exit");
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    static User register() {
        JsonNode login = http.newUser();
        return new User(login.path("token").asText(), "n::" + login.path("user").path("root_id").asText());
    }

    /** Calls a walker (path after {@code /walker/}) with no input; the call must succeed. */
    static Response call(User user, String walkerPath) {
        Response res = http.post("/walker/" + walkerPath, Map.of(), user.token());
        assertThat(res.status()).as(walkerPath + ": " + res.raw()).isEqualTo(200);
        assertThat(res.body().path("status").asInt()).isEqualTo(200);
        return res;
    }

    /** Empties the user's graph, so that a test starts from the root alone. */
    static void reset(User user) { call(user, "purge_populated_graph"); }

    static long ownedDocuments(User user) { return call(user, "check_populated_graph").reports().get(0).asLong(); }

    static JsonNode json(String text) {
        try {
            return Http.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
