package io.walkerd.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Insomnia export in {@code collections/}, read the way Insomnia reads it: its base environment, and its HTTP
 * and websocket requests in the order Insomnia lists them (folders, then requests, by {@code metaSortKey}).
 * It also renders {@code {{ _.name }}} templates and applies the after-response scripts, which the collection
 * keeps to one form: {@code insomnia.environment.set("name", <expression over body>)}.
 */
final class InsomniaCollection {
    static final Path FILE = Path.of(System.getProperty("basedir", "."))
            .resolve("../collections/walkerd.insomnia.json").normalize();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*_\\.(\\w+)\\s*}}");
    private static final Pattern BODY_LINE = Pattern.compile("const body = insomnia\\.response\\.json\\(\\);");
    private static final Pattern SET_LINE = Pattern.compile("insomnia\\.environment\\.set\\(\"(\\w+)\",\\s*(.+)\\);");
    private static final Pattern EXPRESSION = Pattern.compile("(?:\"([^\"]*)\"\\s*\\+\\s*)?body((?:\\.\\w+|\\[\\d+])*)");

    final JsonNode root;
    final Map<String, JsonNode> byId = new LinkedHashMap<>();

    record Http(String folder, String name, String method, String url, List<String[]> parameters,
                List<String[]> headers, JsonNode authentication, String body, String afterResponseScript) {
        @Override
        public String toString() { return folder + " / " + name + " (" + method + " " + url + ")"; }
    }

    record Websocket(String folder, String name, String url, List<String[]> headers, String payload) {
        @Override
        public String toString() { return folder + " / " + name; }
    }

    private InsomniaCollection(JsonNode root) {
        this.root = root;
        for (JsonNode r : root.path("resources")) byId.put(r.path("_id").asText(), r);
    }

    static InsomniaCollection load() {
        try {
            return new InsomniaCollection(JSON.readTree(FILE.toFile()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + FILE + ": " + e.getMessage(), e);
        }
    }

    List<JsonNode> resources(String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : byId.values()) if (type.equals(r.path("_type").asText())) out.add(r);
        return out;
    }

    /** The base environment's values (the environment whose parent is the workspace). */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : resources("environment")) {
            if (!"workspace".equals(byId.get(e.path("parentId").asText()).path("_type").asText())) continue;
            e.path("data").fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
        }
        return env;
    }

    /** Every HTTP request, in Insomnia's order. */
    List<Http> httpRequests() {
        List<Http> out = new ArrayList<>();
        for (JsonNode r : inTreeOrder()) {
            if (!"request".equals(r.path("_type").asText())) continue;
            out.add(new Http(folderOf(r), r.path("name").asText(), r.path("method").asText(), r.path("url").asText(),
                    pairs(r.path("parameters")), pairs(r.path("headers")), r.path("authentication"),
                    r.path("body").path("text").isMissingNode() ? null : r.path("body").path("text").asText(),
                    r.path("afterResponseScript").asText("")));
        }
        return out;
    }

    /** Every websocket request with its payload, in Insomnia's order. */
    List<Websocket> websocketRequests() {
        List<Websocket> out = new ArrayList<>();
        for (JsonNode r : inTreeOrder()) {
            if (!"websocket_request".equals(r.path("_type").asText())) continue;
            String payload = null;
            for (JsonNode p : resources("websocket_payload")) {
                if (p.path("parentId").asText().equals(r.path("_id").asText())) payload = p.path("value").asText();
            }
            out.add(new Websocket(folderOf(r), r.path("name").asText(), r.path("url").asText(), pairs(r.path("headers")), payload));
        }
        return out;
    }

    private List<JsonNode> inTreeOrder() {
        List<JsonNode> out = new ArrayList<>();
        String workspace = resources("workspace").get(0).path("_id").asText();
        walk(workspace, out);
        return out;
    }

    private void walk(String parent, List<JsonNode> out) {
        List<JsonNode> children = new ArrayList<>();
        for (JsonNode r : byId.values()) if (parent.equals(r.path("parentId").asText())) children.add(r);
        children.sort(Comparator.comparingDouble(r -> r.path("metaSortKey").asDouble()));
        for (JsonNode c : children) {
            out.add(c);
            if ("request_group".equals(c.path("_type").asText())) walk(c.path("_id").asText(), out);
        }
    }

    private String folderOf(JsonNode r) {
        JsonNode parent = byId.get(r.path("parentId").asText());
        return parent == null ? "" : parent.path("name").asText();
    }

    private static List<String[]> pairs(JsonNode array) {
        List<String[]> out = new ArrayList<>();
        for (JsonNode p : array) if (!p.path("disabled").asBoolean(false)) out.add(new String[]{p.path("name").asText(), p.path("value").asText()});
        return out;
    }

    /** Replaces every {@code {{ _.name }}}; a name the environment lacks, or any other template tag, is an error. */
    static String render(String template, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null) throw new IllegalArgumentException("the environment has no '" + m.group(1) + "' (in " + template + ")");
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        if (out.indexOf("{{") >= 0 || out.indexOf("{%") >= 0) {
            throw new IllegalArgumentException("unsupported template tag in " + template);
        }
        return out.toString();
    }

    /** Runs an after-response script of the collection's one form against a response body. */
    static void applyScript(String script, JsonNode body, Map<String, String> env) {
        for (String raw : script.split("\n")) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("//") || BODY_LINE.matcher(line).matches()) continue;
            Matcher set = SET_LINE.matcher(line);
            if (!set.matches()) throw new IllegalArgumentException("unsupported after-response script line: " + line);
            Matcher expr = EXPRESSION.matcher(set.group(2).trim());
            if (!expr.matches()) throw new IllegalArgumentException("unsupported expression: " + set.group(2));
            JsonNode value = body;
            Matcher step = Pattern.compile("\\.(\\w+)|\\[(\\d+)]").matcher(expr.group(2));
            while (step.find()) value = step.group(1) != null ? value.path(step.group(1)) : value.path(Integer.parseInt(step.group(2)));
            if (value.isMissingNode() || value.isNull()) {
                throw new IllegalArgumentException("the response has no body" + expr.group(2) + " for " + set.group(1) + ": " + body);
            }
            env.put(set.group(1), (expr.group(1) == null ? "" : expr.group(1)) + value.asText());
        }
    }
}
