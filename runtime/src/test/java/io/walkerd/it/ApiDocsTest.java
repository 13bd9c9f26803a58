package io.walkerd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.walkerd.http.WalkerRoutes;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ApiDocsTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();
    static JsonNode doc;

    @BeforeAll
    static void start() {
        Http.Response r = http.get("/openapi.json", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        doc = r.body();
    }

    private static JsonNode op(String path, String method) { return doc.path("paths").path(path).path(method); }

    private static List<String> names(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    @Test
    void everyExposedWalkerRouteIsListed() {
        var routes = WalkerRoutes.routes(server.walkerd().walkers().walkers());
        assertThat(routes).isNotEmpty();
        for (var r : routes) {
            String path = r.path().replace("{node-ref}", "{node}");
            assertThat(op(path, r.method()).isObject()).as(r.method() + " " + path).isTrue();
        }
        assertThat(op("/walker/build_items", "post").isObject()).isTrue();
        assertThat(op("/walker/build_items/{node}", "post").isObject()).isTrue();
    }

    @Test
    void privateWalkerIsNotListed() {
        doc.path("paths").fieldNames().forEachRemaining(p -> assertThat(p).doesNotStartWith("/walker/hidden"));
    }

    @Test
    void methodsAndEntryTypeChooseTheListedRoutes() {
        assertThat(doc.path("paths").path("/walker/get_only").has("get")).isTrue();
        assertThat(doc.path("paths").path("/walker/get_only").has("post")).isFalse();
        assertThat(doc.path("paths").has("/walker/root_only")).isTrue();
        assertThat(doc.path("paths").has("/walker/root_only/{node}")).isFalse();
        assertThat(doc.path("paths").has("/walker/node_only")).isFalse();
        assertThat(doc.path("paths").has("/walker/node_only/{node}")).isTrue();
        assertThat(doc.path("paths").has("/walker/renamed_walker")).isTrue();
    }

    @Test
    void bodyFieldsFormTheRequestSchemaWithRequiredAndDefaults() {
        JsonNode schema = op("/walker/needs_fields", "post").path("requestBody").path("content").path("application/json").path("schema");
        assertThat(schema.path("properties").path("age").path("type").asText()).isEqualTo("integer");
        assertThat(schema.path("properties").path("name").path("type").asText()).isEqualTo("string");
        assertThat(schema.path("properties").path("scores").path("type").asText()).isEqualTo("array");
        assertThat(schema.path("properties").path("scores").path("items").path("type").asText()).isEqualTo("integer");
        assertThat(schema.path("required")).extracting(JsonNode::asText).contains("age");
        assertThat(op("/walker/build_items", "post").at("/requestBody/content/application~1json/schema/properties/count/default").asInt())
                .isEqualTo(3);
    }

    @Test
    void pathVariablesAndTheNodeSegmentArePathParameters() {
        JsonNode params = op("/walker/path_vars/{a}/items/{b}", "post").path("parameters");
        assertThat(names(params, "name")).containsExactly("a", "b");
        assertThat(names(params, "in")).containsOnly("path");
        assertThat(params.get(1).path("schema").path("type").asText()).isEqualTo("integer");
        JsonNode onNode = op("/walker/path_vars/{node}/{a}/items/{b}", "post").path("parameters");
        assertThat(names(onNode, "name")).containsExactly("node", "a", "b");
        assertThat(onNode.get(0).path("description").asText()).contains("node");
        assertThat(op("/walker/path_vars/{a}/items/{b}", "post").has("requestBody")).isFalse();
    }

    @Test
    void asQueryFieldsAreQueryParametersAndTheRestStayInTheBody() {
        JsonNode one = op("/walker/query_one", "post");
        assertThat(names(one.path("parameters"), "name")).containsExactly("q");
        assertThat(one.path("parameters").get(0).path("in").asText()).isEqualTo("query");
        assertThat(one.at("/requestBody/content/application~1json/schema/properties").has("n")).isTrue();
        JsonNode all = op("/walker/query_all", "get");
        assertThat(names(all.path("parameters"), "name")).containsExactlyInAnyOrder("q", "n");
        assertThat(all.has("requestBody")).isFalse();
    }

    @Test
    void javaTypesMapToJsonSchemaTypes() {
        JsonNode op = op("/walker/all_types", "post");
        JsonNode p = op.at("/requestBody/content/application~1json/schema/properties");
        assertThat(p.at("/flag/type").asText()).isEqualTo("boolean");
        assertThat(p.at("/boxedFlag/default").asBoolean()).isTrue();
        assertThat(p.at("/big/format").asText()).isEqualTo("int64");
        assertThat(p.at("/ratio/type").asText()).isEqualTo("number");
        assertThat(p.at("/letter/maxLength").asInt()).isEqualTo(1);
        assertThat(p.at("/color/enum")).extracting(JsonNode::asText).containsExactly("RED", "GREEN");
        assertThat(p.at("/color/default").asText()).isEqualTo("GREEN");
        assertThat(p.at("/names/default")).extracting(JsonNode::asText).containsExactly("a", "b");
        assertThat(p.at("/ids/uniqueItems").asBoolean()).isTrue();
        assertThat(p.at("/weights/additionalProperties/type").asText()).isEqualTo("number");
        assertThat(p.at("/address/$ref").asText()).isEqualTo("#/components/schemas/Address");
        assertThat(p.at("/addresses/items/$ref").asText()).isEqualTo("#/components/schemas/Address");
        JsonNode address = doc.at("/components/schemas/Address/properties");
        assertThat(address.at("/number/type").asText()).isEqualTo("integer");
        assertThat(address.at("/previous/$ref").asText()).isEqualTo("#/components/schemas/Address");
    }

    @Test
    void specsDocumentationOptionsReachTheOperation() {
        JsonNode op = op("/walker/all_types", "post");
        assertThat(op.path("tags")).extracting(JsonNode::asText).containsExactly("docs", "types");
        assertThat(op.path("summary").asText()).isEqualTo("Every field type");
        assertThat(op.path("description").asText()).isEqualTo("Echoes its fields.");
        assertThat(op.path("deprecated").asBoolean()).isTrue();
        assertThat(op.path("responses").has("201")).isTrue();
        assertThat(op("/walker/renamed_walker", "post").path("summary").asText()).isEqualTo("A renamed walker");
    }

    @Test
    void responsesAndSecurityFollowAuthAndEntry() {
        JsonNode auth = op("/walker/build_items/{node}", "post");
        assertThat(auth.path("security").toString()).isEqualTo("[{\"bearerAuth\":[]}]");
        assertThat(auth.path("responses").fieldNames()).toIterable().contains("200", "401", "403", "404", "422");
        assertThat(auth.at("/responses/200/content/application~1json/schema/$ref").asText()).isEqualTo("#/components/schemas/WalkerResponse");
        JsonNode open = op("/walker/get_only", "get");
        assertThat(open.path("responses").has("401")).isFalse();
        assertThat(open.path("responses").has("403")).isFalse();
        JsonNode response = doc.at("/components/schemas/WalkerResponse/properties");
        assertThat(response.at("/status/type").asText()).isEqualTo("integer");
        assertThat(response.at("/reports/type").asText()).isEqualTo("array");
        assertThat(response.at("/returns/type").asText()).isEqualTo("array");
    }

    @Test
    void userEndpointsHealthzAndBearerSchemeAreListed() {
        assertThat(op("/user/register", "post").at("/responses").has("201")).isTrue();
        assertThat(op("/user/login", "post").at("/requestBody/content/application~1json/schema/required"))
                .extracting(JsonNode::asText).containsExactly("email", "password");
        assertThat(op("/user/change_password", "post").path("security").toString()).isEqualTo("[{\"bearerAuth\":[]}]");
        assertThat(op("/healthz", "get").isObject()).isTrue();
        JsonNode bearer = doc.at("/components/securitySchemes/bearerAuth");
        assertThat(bearer.path("type").asText()).isEqualTo("http");
        assertThat(bearer.path("scheme").asText()).isEqualTo("bearer");
        assertThat(bearer.path("bearerFormat").asText()).isEqualTo("JWT");
        assertThat(doc.path("openapi").asText()).startsWith("3.");
    }

    @Test
    void yamlHasTheSamePaths() throws Exception {
        Http.Response r = http.get("/openapi.yaml", null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode yaml = new YAMLMapper().readTree(r.raw());
        assertThat(yaml).isEqualTo(doc);
    }

    @Test
    void docsPageLoadsSwaggerUiFromTheWebjar() {
        Http.Response page = http.get("/docs", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw()).contains("<html", "<script src=\"/docs/init.js\"></script>");
        assertThat(http.get("/docs/init.js", null).raw()).contains("SwaggerUIBundle", "/openapi.json");
        Matcher assets = Pattern.compile("(?:src|href)=\"(/webjars/swagger-ui/[^\"]+)\"").matcher(page.raw());
        List<String> found = new ArrayList<>();
        while (assets.find()) found.add(assets.group(1));
        assertThat(found).anyMatch(a -> a.endsWith("swagger-ui-bundle.js"));
        for (String asset : found) assertThat(http.get(asset, null).status()).as(asset).isEqualTo(200);
    }
}
