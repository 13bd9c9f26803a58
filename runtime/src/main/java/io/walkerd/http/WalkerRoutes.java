package io.walkerd.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.walkerd.auth.Principal;
import io.walkerd.auth.TokenService;
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
 * {@code /walker/<name>/<node><path>} (spawned on that node), for each HTTP method in the walker's specs.
 */
public final class WalkerRoutes {
    /** Javalin's name for the node segment; not a valid Java field name, so it never collides with a path field. */
    static final String NODE_PARAM = "node-ref";
    public static final Set<String> HTTP_METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options");

    private final WalkerRunner runner;
    private final TokenService tokens;
    private final ObjectMapper json;

    public WalkerRoutes(WalkerRunner runner, TokenService tokens, ObjectMapper json) {
        this.runner = runner;
        this.tokens = tokens;
        this.json = json;
    }

    /** One exposed route of one walker, as the OpenAPI document lists it. */
    public record Route(WalkerType walker, String method, String path, boolean onNode) {}

    /** Every route the walkers get, in a stable order. */
    public static List<Route> routes(Iterable<WalkerType> walkers) {
        List<Route> out = new ArrayList<>();
        for (WalkerType w : walkers) {
            if (w.isPrivate()) continue;
            String extra = w.specs().path().isEmpty() ? "" : (w.specs().path().startsWith("/") ? w.specs().path() : "/" + w.specs().path());
            for (String m : w.methods()) {
                if (!HTTP_METHODS.contains(m)) continue;
                EntryType entry = w.specs().entryType();
                if (entry != EntryType.NODE) out.add(new Route(w, m, "/walker/" + w.name() + extra, false));
                if (entry != EntryType.ROOT) out.add(new Route(w, m, "/walker/" + w.name() + "/{" + NODE_PARAM + "}" + extra, true));
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
        JsonNode body = null;
        String raw = ctx.body();
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
        Principal caller = authenticate(ctx.header("Authorization"));
        if (caller == null) {
            if (route.walker().auth()) {
                ctx.status(401).json(Map.of("error", "Unauthorized: missing, invalid, expired or revoked token"));
                return;
            }
            caller = Principal.PUBLIC;
        }
        Map<String, String> query = new HashMap<>();
        ctx.queryParamMap().forEach((k, v) -> { if (!v.isEmpty()) query.put(k, v.get(0)); });
        Map<String, String> path = new HashMap<>(ctx.pathParamMap());
        String node = route.onNode() ? path.remove(NODE_PARAM) : null;
        WalkerResponse response = runner.run(new WalkerCall(route.walker().name(), route.method(), caller, node, body, query, path, Map.of()));
        ctx.status(response.status());
        if (!"head".equals(route.method())) ctx.json(response.body());
    }

    /** The caller of a request, or null when an Authorization header is missing or does not hold a valid token. */
    private Principal authenticate(String header) {
        if (header == null || header.isBlank()) return null;
        return tokens.authenticate(header).orElse(null);
    }
}
