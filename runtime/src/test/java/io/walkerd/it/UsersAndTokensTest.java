package io.walkerd.it;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** protocol.md section 2 over real HTTP. */
class UsersAndTokensTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    private static String email() { return "p" + UUID.randomUUID().toString().substring(0, 10) + "@example.com"; }

    @Test
    void registerLoginAndCallAnAuthWalkerWithTheToken() {
        String email = email();
        var reg = http.post("/user/register", Map.of("email", email, "password", "password-1", "name", "Ada"));
        assertThat(reg.status()).isEqualTo(201);
        assertThat(reg.body().get("message").asText()).isEqualTo("Successfully Registered!");

        var login = http.post("/user/login", Map.of("email", email, "password", "password-1"));
        assertThat(login.status()).isEqualTo(200);
        JsonNode user = login.body().get("user");
        assertThat(user.get("id").asText()).matches("[0-9a-f]{24}");
        assertThat(user.get("root_id").asText()).matches("[0-9a-f]{24}");
        assertThat(user.get("email").asText()).isEqualTo(email);
        assertThat(user.get("name").asText()).as("extra registration field").isEqualTo("Ada");
        assertThat(user.has("is_activated")).isTrue();
        assertThat(user.get("is_admin").asBoolean()).isFalse();
        assertThat(user.has("password")).isFalse();

        var walk = http.post("/walker/where_am_i", Map.of(), login.body().get("token").asText());
        assertThat(walk.status()).isEqualTo(200);
        assertThat(walk.reports().get(0).get("id").asText()).isEqualTo("n::" + user.get("root_id").asText());
    }

    @Test
    void authWalkerWithoutTokenIs401() {
        assertThat(http.post("/walker/where_am_i", Map.of()).status()).isEqualTo(401);
    }

    @Test
    void tamperedTokenIs401() {
        String token = http.newToken();
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"ver\":0", "\"ver\":0,\"x\":1");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(http.post("/walker/where_am_i", Map.of(), tampered).status()).isEqualTo(401);
        assertThat(http.post("/walker/where_am_i", Map.of(), token.substring(0, token.length() - 3) + "abc").status()).isEqualTo(401);
    }

    @Test
    void expiredTokenIs401() {
        JsonNode login = http.newUser();
        String expired = JWT.create().withSubject(login.get("user").get("id").asText()).withClaim("ver", 0)
                .withClaim("root_id", login.get("user").get("root_id").asText())
                .withIssuedAt(Instant.now().minusSeconds(7200)).withExpiresAt(Instant.now().minusSeconds(3600))
                .sign(Algorithm.HMAC256(TestServer.SECRET));
        assertThat(http.post("/walker/where_am_i", Map.of(), expired).status()).isEqualTo(401);
    }

    @Test
    void algNoneTokenIs401() {
        JsonNode login = http.newUser();
        String none = JWT.create().withSubject(login.get("user").get("id").asText()).withClaim("ver", 0)
                .withExpiresAt(Instant.now().plusSeconds(3600)).sign(Algorithm.none());
        assertThat(none).endsWith(".");
        assertThat(http.post("/walker/where_am_i", Map.of(), none).status()).isEqualTo(401);
    }

    @Test
    void tokenSignedWithAnotherSecretIs401() {
        JsonNode login = http.newUser();
        String forged = JWT.create().withSubject(login.get("user").get("id").asText()).withClaim("ver", 0)
                .withExpiresAt(Instant.now().plusSeconds(3600)).sign(Algorithm.HMAC256("another-secret"));
        assertThat(http.post("/walker/where_am_i", Map.of(), forged).status()).isEqualTo(401);
    }

    @Test
    void changePasswordRevokesEveryOldTokenAndTheNewPasswordLogsIn() {
        String email = email();
        http.post("/user/register", Map.of("email", email, "password", "old-password"));
        String first = http.post("/user/login", Map.of("email", email, "password", "old-password")).body().get("token").asText();
        String second = http.post("/user/login", Map.of("email", email, "password", "old-password")).body().get("token").asText();

        var changed = http.post("/user/change_password", Map.of("old_password", "old-password", "new_password", "new-password"), first);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body().get("message").asText()).isEqualTo("Successfully Updated!");

        assertThat(http.post("/walker/where_am_i", Map.of(), first).status()).isEqualTo(401);
        assertThat(http.post("/walker/where_am_i", Map.of(), second).status()).isEqualTo(401);
        assertThat(http.post("/user/login", Map.of("email", email, "password", "old-password")).status()).isEqualTo(400);
        var relogin = http.post("/user/login", Map.of("email", email, "password", "new-password"));
        assertThat(relogin.status()).isEqualTo(200);
        assertThat(http.post("/walker/where_am_i", Map.of(), relogin.body().get("token").asText()).status()).isEqualTo(200);
    }

    @Test
    void changePasswordWithWrongOldPasswordIs403() {
        String token = http.newToken();
        var r = http.post("/user/change_password", Map.of("old_password", "nope", "new_password", "long-enough-new"), token);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body().get("message").asText()).isEqualTo("Update Failed!");
        assertThat(http.post("/user/change_password", Map.of("old_password", "a", "new_password", "b")).status()).isEqualTo(401);
    }

    @Test
    void takenEmailIs409() {
        String email = email();
        assertThat(http.post("/user/register", Map.of("email", email, "password", "password-a")).status()).isEqualTo(201);
        assertThat(http.post("/user/register", Map.of("email", email.toUpperCase(), "password", "password-b")).status()).isEqualTo(409);
    }

    @Test
    void malformedEmailOrMissingFieldIs422() {
        var bad = http.post("/user/register", Map.of("email", "not-an-email", "password", "password-a"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.raw()).contains("email");
        var missing = http.post("/user/register", Map.of("email", email()));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.body().get("detail").get(0).get("loc").toString()).contains("password");
    }

    @Test
    void wrongPasswordLoginIs400() {
        String email = email();
        http.post("/user/register", Map.of("email", email, "password", "right-password"));
        var r = http.post("/user/login", Map.of("email", email, "password", "wrong-password"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("message").asText()).isEqualTo("Invalid Email/Password!");
        assertThat(http.post("/user/login", Map.of("email", "nobody@example.com", "password", "x")).status()).isEqualTo(400);
    }
}
