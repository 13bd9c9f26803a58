package io.walkerd.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.javalin.config.RoutesConfig;
import io.walkerd.walker.Specs;
import io.walkerd.walker.Webhook;
import io.walkerd.walker.WalkerType;
import io.walkerd.walker.WalkerType.InputField;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's OpenAPI document, built once at start-up: the user endpoints and {@code /healthz} (written by hand in
 * {@code openapi-base.json}) plus every route of {@link WalkerRoutes#routes}, described from the walker's specs and
 * input fields. Served at {@code /openapi.json}, {@code /openapi.yaml} and, through Swagger UI, {@code /docs}.
 */
public final class ApiDocs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH_VAR = Pattern.compile("\\{([^}]+)}");
    private static final String SWAGGER_UI_POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final Set<String> SCALAR_TYPES = Set.of("string", "integer", "number", "boolean");

    /** Starts Swagger UI; a file of its own, since the page's Content-Security-Policy runs no inline script. */
    private static final String INIT_SCRIPT =
            "window.ui = SwaggerUIBundle({url: \"/openapi.json\", dom_id: \"#swagger-ui\", persistAuthorization: true});\n";

    private final String jsonText;
    private final String yamlText;
    private final String page;

    public ApiDocs(Iterable<WalkerType> walkers) {
        ObjectNode document = base();
        ObjectNode paths = (ObjectNode) document.get("paths");
        JsonSchemas schemas = new JsonSchemas(JSON, (ObjectNode) document.at("/components/schemas"));
        for (WalkerRoutes.Route r : WalkerRoutes.routes(walkers)) {
            String nodeParam = nodeParam(r);
            String path = r.onNode() ? r.path().replace("{" + WalkerRoutes.NODE_PARAM + "}", "{" + nodeParam + "}") : r.path();
            ObjectNode item = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
            item.set(r.method(), operation(r, path, nodeParam, schemas, (ObjectNode) document.at("/components/securitySchemes")));
        }
        try {
            jsonText = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document);
            yamlText = new YAMLMapper().writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        page = page(swaggerUiVersion());
    }

    public void register(RoutesConfig routes) {
        routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(jsonText));
        routes.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(yamlText));
        routes.get("/docs", ctx -> ctx.html(page));
        routes.get("/docs/init.js", ctx -> ctx.contentType("text/javascript").result(INIT_SCRIPT));
    }

    private static ObjectNode base() {
        try (InputStream in = ApiDocs.class.getResourceAsStream("openapi-base.json")) {
            ObjectNode doc = (ObjectNode) JSON.readTree(Objects.requireNonNull(in, "openapi-base.json is missing"));
            String version = ApiDocs.class.getPackage().getImplementationVersion();
            ((ObjectNode) doc.get("info")).put("version", version == null ? "dev" : version);
            return doc;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** jac-cloud documents the node segment as {@code {node}}; keep Javalin's name only when a path field takes it. */
    private static String nodeParam(WalkerRoutes.Route r) {
        return r.walker().specs().path().contains("{node}") ? WalkerRoutes.NODE_PARAM : "node";
    }

    private static ObjectNode operation(WalkerRoutes.Route r, String path, String nodeParam, JsonSchemas schemas,
                                        ObjectNode securitySchemes) {
        WalkerType w = r.walker();
        Specs specs = w.specs();
        ObjectNode op = JSON.createObjectNode();
        ArrayNode tags = op.putArray("tags");
        for (String t : specs.tags().length == 0 ? new String[] {"walker"} : specs.tags()) tags.add(t);
        op.put("summary", !specs.summary().isEmpty() ? specs.summary() : w.name() + (r.onNode() ? " on a node" : ""));
        if (!specs.description().isEmpty()) op.put("description", specs.description());
        op.put("operationId", w.name() + "_" + r.method() + (r.onNode() ? "_on_node" : ""));
        if (specs.deprecated()) op.put("deprecated", true);
        ArrayNode security = op.putArray("security");
        Webhook webhook = w.webhook();
        if (webhook != null) {
            // an API key instead of a token; OpenAPI describes keys in headers and queries, the others are inputs here
            if (webhook.type() == Webhook.Type.HEADER || webhook.type() == Webhook.Type.QUERY) {
                String scheme = "webhook_" + webhook.type().name().toLowerCase(Locale.ROOT) + "_" + webhook.name();
                securitySchemes.putObject(scheme).put("type", "apiKey").put("in", webhook.type().name().toLowerCase(Locale.ROOT))
                        .put("name", webhook.name()).put("description", "A webhook API key (POST /webhook/generate-key)");
                security.addObject().putArray(scheme);
            }
        } else {
            if (!w.auth()) security.addObject(); // the token is optional: with one, the walker runs as that user
            security.addObject().putArray("bearerAuth");
        }

        Map<String, InputField> fields = new LinkedHashMap<>();
        for (InputField f : w.fields()) fields.put(f.name(), f);
        ArrayNode parameters = JSON.createArrayNode();
        Matcher vars = PATH_VAR.matcher(path);
        while (vars.find()) {
            String name = vars.group(1);
            ObjectNode p = parameters.addObject().put("name", name).put("in", "path").put("required", true);
            if (r.onNode() && name.equals(nodeParam)) {
                p.put("description", "Ref id of the node to spawn the walker on, e.g. n:Item:<24 hex>");
                p.putObject("schema").put("type", "string");
            } else {
                InputField f = fields.remove(name);
                p.set("schema", f == null ? JSON.createObjectNode().put("type", "string") : schemas.of(f.field().getGenericType()));
                if (f == null && webhook != null && webhook.type() == Webhook.Type.PATH && webhook.name().equals(name)) {
                    p.put("description", "A webhook API key (POST /webhook/generate-key)");
                }
            }
        }
        Set<String> query = w.queryFields();
        List<InputField> body = new ArrayList<>();
        for (InputField f : fields.values()) {
            if (!query.contains(f.name())) {
                body.add(f);
                continue;
            }
            ObjectNode p = parameters.addObject().put("name", f.name()).put("in", "query").put("required", f.required());
            ObjectNode schema = fieldSchema(f, schemas);
            // a non-scalar query value is read as JSON text (?scores=[1,2]), which OpenAPI says with content
            if (SCALAR_TYPES.contains(schema.path("type").asText())) p.set("schema", schema);
            else p.putObject("content").putObject("application/json").set("schema", schema);
        }
        if (!parameters.isEmpty()) op.set("parameters", parameters);
        String bodyKey = webhook != null && webhook.type() == Webhook.Type.BODY ? webhook.name() : null;
        boolean files = body.stream().anyMatch(f -> JsonSchemas.isFile(f.field().getGenericType()));
        if (!body.isEmpty() || bodyKey != null) op.set("requestBody", requestBody(body, schemas, bodyKey, files));

        ObjectNode responses = op.putObject("responses");
        if (w.async()) {
            responses.putObject("200").put("description", "Started: the walker runs on a worker")
                    .putObject("content").putObject("application/json").set("schema", ref("schemas", "AsyncStarted"));
        } else {
            responses.putObject(String.valueOf(specs.statusCode())).put("description", "What the walker reported")
                    .putObject("content").putObject("application/json").set("schema", ref("schemas", "WalkerResponse"));
        }
        if (webhook != null) responses.set("401", ref("responses", "InvalidApiKey"));
        else if (w.auth()) responses.set("401", ref("responses", "Unauthorized"));
        if (files) responses.set("413", ref("responses", "TooLarge"));
        if (r.onNode()) {
            responses.set("403", ref("responses", "NoAccess"));
            responses.set("404", ref("responses", "NodeNotFound"));
        }
        responses.set("422", ref("responses", "ValidationError")); // a body that is not JSON is refused by every walker
        return op;
    }

    /**
     * The body's schema: JSON, or {@code multipart/form-data} when an input is a file (files as binary strings, the
     * other fields as form fields). A webhook key sent in the body is a required string field.
     */
    private static ObjectNode requestBody(List<InputField> fields, JsonSchemas schemas, String bodyKey, boolean files) {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = JSON.createArrayNode();
        for (InputField f : fields) {
            properties.set(f.name(), fieldSchema(f, schemas));
            if (f.required()) required.add(f.name());
        }
        if (bodyKey != null && !properties.has(bodyKey)) {
            properties.putObject(bodyKey).put("type", "string").put("description", "A webhook API key (POST /webhook/generate-key)");
            required.add(bodyKey);
        }
        if (!required.isEmpty()) schema.set("required", required);
        ObjectNode body = JSON.createObjectNode().put("required", !required.isEmpty());
        body.putObject("content").putObject(files ? "multipart/form-data" : "application/json").set("schema", schema);
        return body;
    }

    private static ObjectNode fieldSchema(InputField f, JsonSchemas schemas) {
        ObjectNode schema = schemas.of(f.field().getGenericType());
        JsonNode value = f.required() ? null : schemas.defaultOf(f.defaultValue());
        if (value != null) schema.set("default", value);
        return schema;
    }

    private static ObjectNode ref(String section, String name) {
        return JSON.createObjectNode().put("$ref", "#/components/" + section + "/" + name);
    }

    /** The webjar's version, so the page names its files without a webjars locator. */
    private static String swaggerUiVersion() {
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(SWAGGER_UI_POM)) {
            if (in == null) throw new IllegalStateException("the org.webjars:swagger-ui jar is not on the class path; /docs needs it");
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String page(String version) {
        String ui = "/webjars/swagger-ui/" + version;
        return """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <title>walkerd API</title>
                  <link rel="icon" href="data:,">
                  <link rel="stylesheet" href="%1$s/swagger-ui.css">
                </head>
                <body>
                  <div id="swagger-ui"></div>
                  <script src="%1$s/swagger-ui-bundle.js"></script>
                  <script src="/docs/init.js"></script>
                </body>
                </html>
                """.formatted(ui);
    }
}
