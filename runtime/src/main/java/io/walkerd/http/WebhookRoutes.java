package io.walkerd.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.walkerd.auth.Principal;
import io.walkerd.auth.TokenService;
import io.walkerd.auth.WebhookKeys;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The webhook key routes, for a user with a token: {@code POST /webhook/generate-key}, {@code GET /webhook},
 * {@code PATCH /webhook/extend/{id}}, {@code DELETE /webhook/delete}. Webhook walkers themselves are served by
 * {@link WalkerRoutes} under {@code /webhook/walker/}.
 */
public final class WebhookRoutes {
    private final WebhookKeys keys;
    private final TokenService tokens;
    private final ObjectMapper json;

    public WebhookRoutes(WebhookKeys keys, TokenService tokens, ObjectMapper json) {
        this.keys = keys;
        this.tokens = tokens;
        this.json = json;
    }

    public void register(RoutesConfig routes) {
        routes.post("/webhook/generate-key", ctx -> authenticated(ctx, (caller, body) -> reply(ctx, keys.generate(caller, body))));
        routes.get("/webhook", ctx -> {
            Principal caller = caller(ctx);
            if (caller != null) reply(ctx, keys.list(caller));
        });
        routes.patch("/webhook/extend/{id}", ctx -> authenticated(ctx,
                (caller, body) -> reply(ctx, keys.extend(caller, ctx.pathParam("id"), body))));
        routes.delete("/webhook/delete", ctx -> authenticated(ctx, (caller, body) -> reply(ctx, keys.delete(caller, body))));
    }

    private Principal caller(Context ctx) {
        Principal caller = tokens.authenticate(ctx.header("Authorization")).orElse(null);
        if (caller == null) ctx.status(401).json(Map.of("error", "Unauthorized: missing, invalid, expired or revoked token"));
        return caller;
    }

    private void authenticated(Context ctx, BiConsumer<Principal, JsonNode> then) {
        Principal caller = caller(ctx);
        if (caller == null) return;
        JsonNode body = JsonBodies.object(ctx, json, "Input should be a valid dictionary or object");
        if (body == null) return;
        then.accept(caller, body);
    }

    private static void reply(Context ctx, WebhookKeys.Result r) {
        ctx.status(r.status()).json(r.body());
    }
}
