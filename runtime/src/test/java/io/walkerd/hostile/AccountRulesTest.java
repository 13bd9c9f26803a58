package io.walkerd.hostile;

import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import io.walkerd.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Registration refuses short passwords ({@code PASSWORD_MIN_LENGTH}, default 8) and emails that are not plain addresses. */
class AccountRulesTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    static String email() { return "r" + UUID.randomUUID().toString().substring(0, 10) + "@example.com"; }

    @Test
    void aPasswordOfEightCharactersIsAccepted() {
        assertThat(http.post("/user/register", Map.of("email", email(), "password", "12345678")).status()).isEqualTo(201);
    }

    @Test
    void aPasswordOfSevenCharactersIs422NamingTheFieldAndTheLength() {
        var r = http.post("/user/register", Map.of("email", email(), "password", "1234567"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"password\"]");
        assertThat(r.body().get("detail").get(0).get("msg").asText()).isEqualTo("String should have at least 8 characters");
    }

    @Test
    void aOneCharacterPasswordIsRefused() {
        assertThat(http.post("/user/register", Map.of("email", email(), "password", "a")).status()).isEqualTo(422);
    }

    @Test
    void jacCloudsSamplePasswordNeedsAMinimumOfSix() {
        try (TestServer six = TestServer.start(Map.of("PASSWORD_MIN_LENGTH", "6"))) {
            assertThat(six.http().post("/user/register", Map.of("email", email(), "password", "string")).status()).isEqualTo(201);
            assertThat(six.http().post("/user/register", Map.of("email", email(), "password", "strin")).status()).isEqualTo(422);
        }
    }

    @Test
    void changingToAShortPasswordIs422AndKeepsTheOldOne() {
        String email = email();
        http.post("/user/register", Map.of("email", email, "password", "first-password"));
        String token = http.post("/user/login", Map.of("email", email, "password", "first-password")).body().get("token").asText();
        var r = http.post("/user/change_password", Map.of("old_password", "first-password", "new_password", "short"), token);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"new_password\"]");
        assertThat(http.post("/user/login", Map.of("email", email, "password", "first-password")).status()).isEqualTo(200);
    }

    @Test
    void markupInAnEmailIs422() {
        for (String bad : List.of("<script>alert(1)</script>@x.y", "a b@example.com", "\"quoted\"@example.com", "a@b", "a@-b.com",
                "a@b.c", "a..b@example.com", "a@example.com\n", "a@exa_mple.com")) {
            var r = http.post("/user/register", Map.of("email", bad, "password", "long-enough"));
            assertThat(r.status()).as(bad).isEqualTo(422);
            assertThat(r.body().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"email\"]");
        }
    }

    @Test
    void plainEmailsAreAccepted() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        for (String ok : List.of("ada." + id + "@example.com", "ada+tag-" + id + "@mail.example.co.uk", "O'Brien_" + id + "@example.ie")) {
            assertThat(http.post("/user/register", Map.of("email", ok, "password", "long-enough")).status()).as(ok).isEqualTo(201);
        }
    }
}
