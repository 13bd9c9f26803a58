package io.walkerd.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.walkerd.auth.Principal;
import io.walkerd.auth.TokenService;
import io.walkerd.auth.WebhookKeys;
import io.walkerd.server.LogContext;
import io.walkerd.walker.Multipart;
import io.walkerd.walker.Webhook;
import io.walkerd.walker.EntryType;
import io.walkerd.walker.WalkerCall;
import io.walkerd.walker.WalkerResponse;
import io.walkerd.walker.WalkerRunner;
import io.walkerd.walker.WalkerType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The REST face of every walker: {@code /walker/<name><path>} (spawned on the caller's root) and
 * {@code /walker/<name>/<node><path>} (spawned on that node), for each HTTP method in the walker's specs; webhook
 * walkers under {@code /webhook/walker/} instead, authenticated by an API key. A {@code multipart/form-data} body
 * gives files to {@code UploadFile} inputs and its other fields to the rest.
 */
public final class WalkerRoutes {
    /** Javalin's name for the node segment; not a valid Java field name, so it never collides with a path field. */
    static final String NODE_PARAM = "node-ref";
    public static final Set<String> HTTP_METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options");

    private final WalkerRunner runner;
    private final TokenService tokens;
    private final ObjectMapper json;
    private final WebhookKeys webhookKeys;
    private final long uploadMaxBytes;

    public WalkerRoutes(WalkerRunner runner, TokenService tokens, ObjectMapper json, WebhookKeys webhookKeys, long uploadMaxBytes) {
        this.runner = runner;
        this.tokens = tokens;
        this.json = json;
        this.webhookKeys = webhookKeys;
        this.uploadMaxBytes = uploadMaxBytes;
    }

    /** One exposed route of one walker, as the OpenAPI document lists it. */
    public record Route(WalkerType walker, String method, String path, boolean onNode) {}

    /** Every route the walkers get, in a stable order. */
    public static List<Route> routes(Iterable<WalkerType> walkers) {
        List<Route> out = new ArrayList<>();
        for (WalkerType w : walkers) {
            if (w.isPrivate()) continue;
            String extra = w.specs().path().isEmpty() ? "" : (w.specs().path().startsWith("/") ? w.specs().path() : "/" + w.specs().path());
            String prefix = w.webhook() == null ? "/walker/" : "/webhook/walker/";
            for (String m : w.methods()) {
                if (!HTTP_METHODS.contains(m)) continue;
                EntryType entry = w.specs().entryType();
                if (entry != EntryType.NODE) out.add(new Route(w, m, prefix + w.name() + extra, false));
                if (entry != EntryType.ROOT) out.add(new Route(w, m, prefix + w.name() + "/{" + NODE_PARAM + "}" + extra, true));
            }
        }
        return out;
    }

    public void register(RoutesConfig routes, Iterable<WalkerType> walkers) {
        for (Route r : routes(walkers)) {
            HandlerType type = HandlerType.findOrCreate(r.method().toUpperCase(Locale.ROOT));
            routes.addHttpHandler(type, r.path(), ctx -> handle(ctx, r));
        }
    }

    private void handle(Context ctx, Route route) {
        try (LogContext.Scope scope = LogContext.with(LogContext.REQUEST_ID, RequestIds.of(ctx))) {
            call(ctx, route);
        }
    }

    private void call(Context ctx, Route route) {
        JsonNode body = null;
        Map<Class<?>, Object> attributes = Map.of();
        if (isMultipart(ctx)) {
            Multipart multipart = UploadFiles.read(ctx, uploadMaxBytes, json);
            if (multipart == null) return; // answered
            attributes = Map.of(Multipart.class, multipart);
            body = UploadFiles.jsonPart(ctx);
        }
        String raw = attributes.isEmpty() ? ctx.body() : "";
        if (!raw.isBlank()) {
            try {
                body = json.readTree(raw);
            } catch (Exception e) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("type", "json_invalid");
                p.put("loc", List.of("body"));
                p.put("msg", e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? ErrorReplies.invalidJson(j) : "Invalid JSON");
                ctx.status(422).json(Map.of("detail", List.of(p)));
                return;
            }
        }
        Map<String, String> query = new HashMap<>();
        ctx.queryParamMap().forEach((k, v) -> { if (!v.isEmpty()) query.put(k, v.get(0)); });
        Map<String, String> path = new HashMap<>(ctx.pathParamMap());
        String node = route.onNode() ? path.remove(NODE_PARAM) : null;
        Principal caller;
        Webhook webhook = route.walker().webhook();
        if (webhook != null) {
            caller = webhookKeys.authenticate(webhookKey(webhook, ctx, query, path, body), route.walker().name(), node).orElse(null);
            if (caller == null) {
                ctx.status(401).json(Map.of("error", "Unauthorized: missing, invalid, expired or revoked API key"));
                return;
            }
        } else {
            caller = authenticate(ctx.header("Authorization"));
            if (caller == null) {
                if (route.walker().auth()) {
                    ctx.status(401).json(Map.of("error", "Unauthorized: missing, invalid, expired or revoked token"));
                    return;
                }
                caller = Principal.PUBLIC;
            }
        }
        WalkerResponse response = runner.run(new WalkerCall(route.walker().name(), route.method(), caller, node, body, query, path, attributes));
        ctx.status(response.status());
        if (!"head".equals(route.method())) writeJson(ctx, response.body());
    }

    /**
     * The body as UTF-8 JSON bytes, written by the response mapper straight into one array: Javalin's
     * {@code ctx.json} prints to a String first (chars, then copied, then encoded), which cost a walk reporting
     * 2,000 nodes 3.5 % of its time on top of the printing.
     */
    private void writeJson(Context ctx, Object body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a walker response could not be written as JSON", e);
        }
        ctx.contentType(io.javalin.http.ContentType.APPLICATION_JSON).result(bytes);
    }

    /** The API key of a webhook call, where the walker's specs say it is sent; null when it is not there. */
    private static String webhookKey(Webhook webhook, Context ctx, Map<String, String> query, Map<String, String> path, JsonNode body) {
        return switch (webhook.type()) {
            case HEADER -> ctx.header(webhook.name());
            case QUERY -> query.get(webhook.name());
            case PATH -> path.get(webhook.name());
            case BODY -> body != null && body.path(webhook.name()).isTextual() ? body.get(webhook.name()).asText() : null;
        };
    }

    private static boolean isMultipart(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /** The caller of a request, or null when an Authorization header is missing or does not hold a valid token. */
    private Principal authenticate(String header) {
        if (header == null || header.isBlank()) return null;
        return tokens.authenticate(header).orElse(null);
    }
}
