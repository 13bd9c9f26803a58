package io.walkerd.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.walkerd.auth.AccountRules;
import io.walkerd.auth.Principal;
import io.walkerd.auth.TokenService;
import io.walkerd.auth.UserService;
import io.walkerd.server.ClientAddress;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code /user/register}, {@code /user/login} and {@code /user/change_password}. */
public final class UserRoutes {
    private final UserService users;
    private final TokenService tokens;
    private final ObjectMapper json;
    private final AccountRules rules;
    private final LoginThrottle logins;
    private final ClientAddress addresses;

    public UserRoutes(UserService users, TokenService tokens, ObjectMapper json, AccountRules rules, LoginThrottle logins,
                      ClientAddress addresses) {
        this.users = users;
        this.tokens = tokens;
        this.json = json;
        this.rules = rules;
        this.logins = logins;
        this.addresses = addresses;
    }

    public void register(RoutesConfig routes) {
        routes.post("/user/register", ctx -> withBody(ctx, body -> {
            List<Map<String, Object>> problems = rules.registration(body);
            if (!problems.isEmpty()) ctx.status(422).json(Map.of("detail", problems));
            else reply(ctx, users.register(body));
        }));
        routes.post("/user/login", ctx -> withBody(ctx, body -> login(ctx, body)));
        routes.post("/user/change_password", ctx -> {
            Principal caller = tokens.authenticate(ctx.header("Authorization")).orElse(null);
            if (caller == null) {
                ctx.status(401).json(Map.of("error", "Unauthorized: missing, invalid, expired or revoked token"));
                return;
            }
            withBody(ctx, body -> {
                List<Map<String, Object>> problems = rules.newPassword(body);
                if (!problems.isEmpty()) ctx.status(422).json(Map.of("detail", problems));
                else reply(ctx, users.changePassword(caller, body));
            });
        });
    }

    /** A login, unless its email or its address has failed too often lately (then 429 with {@code Retry-After}). */
    private void login(Context ctx, JsonNode body) {
        JsonNode email = body.get("email");
        LoginThrottle.Attempt attempt = logins.begin(email != null && email.isTextual() ? email.asText().toLowerCase(Locale.ROOT) : null,
                addresses.of(ctx));
        if (!attempt.allowed()) {
            ctx.header("Retry-After", String.valueOf(attempt.retryAfterSeconds()));
            ctx.status(429).json(Map.of("message", "Too many failed logins; try again in " + attempt.retryAfterSeconds() + " seconds"));
            return;
        }
        UserService.Result r = users.login(body);
        if (r.status() == 200) attempt.succeeded();
        reply(ctx, r);
    }

    private void withBody(Context ctx, java.util.function.Consumer<JsonNode> then) {
        JsonNode body = JsonBodies.object(ctx, json, "Input should be an object");
        if (body == null) return;
        then.accept(body);
    }

    private static void reply(Context ctx, UserService.Result r) {
        ctx.status(r.status()).json(r.body());
    }
}
