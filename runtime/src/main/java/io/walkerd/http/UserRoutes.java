package io.walkerd.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.walkerd.auth.Principal;
import io.walkerd.auth.TokenService;
import io.walkerd.auth.UserService;

import java.util.List;
import java.util.Map;

/** {@code /user/register}, {@code /user/login} and {@code /user/change_password}. */
public final class UserRoutes {
    private final UserService users;
    private final TokenService tokens;
    private final ObjectMapper json;

    public UserRoutes(UserService users, TokenService tokens, ObjectMapper json) {
        this.users = users;
        this.tokens = tokens;
        this.json = json;
    }

    public void register(RoutesConfig routes) {
        routes.post("/user/register", ctx -> withBody(ctx, body -> reply(ctx, users.register(body))));
        routes.post("/user/login", ctx -> withBody(ctx, body -> reply(ctx, users.login(body))));
        routes.post("/user/change_password", ctx -> {
            Principal caller = tokens.authenticate(ctx.header("Authorization")).orElse(null);
            if (caller == null) {
                ctx.status(401).json(Map.of("error", "Unauthorized: missing, invalid, expired or revoked token"));
                return;
            }
            withBody(ctx, body -> reply(ctx, users.changePassword(caller, body)));
        });
    }

    private void withBody(Context ctx, java.util.function.Consumer<JsonNode> then) {
        JsonNode body;
        try {
            body = ctx.body().isBlank() ? json.createObjectNode() : json.readTree(ctx.body());
        } catch (Exception e) {
            ctx.status(422).json(Map.of("detail", List.of(Map.of("type", "json_invalid", "loc", List.of("body"), "msg", "JSON decode error"))));
            return;
        }
        if (!body.isObject()) {
            ctx.status(422).json(Map.of("detail", List.of(Map.of("type", "model_attributes_type", "loc", List.of("body"), "msg", "Input should be an object"))));
            return;
        }
        then.accept(body);
    }

    private static void reply(Context ctx, UserService.Result r) {
        ctx.status(r.status()).json(r.body());
    }
}
