package io.walkerd.app;

import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo page is served at {@code /} next to the API, without hiding any route. */
class DemoPageTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    @Test
    void theRootServesTheDemoPageAndItsScript() {
        var page = http.get("/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw()).contains("<title>walkerd demo</title>").contains("<script type=\"module\" src=\"app.js\">");
        var script = http.get("/app.js", null);
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.raw()).contains("from \"/walkerd-client.js\"").contains("self_progress_notif");
        assertThat(http.get("/style.css", null).status()).isEqualTo(200);
    }

    @Test
    void theDemoPageIsHardenedAndRunsNoInlineScript() {
        for (String path : java.util.List.of("/", "/app.js", "/style.css")) {
            var r = http.get(path, null);
            assertThat(r.header("Content-Security-Policy")).as(path)
                    .contains("script-src 'self';").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
            assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(r.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
        }
        String html = http.get("/", null).raw();
        assertThat(java.util.regex.Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>").matcher(html).find()).as("an inline script").isFalse();
        assertThat(java.util.regex.Pattern.compile("\\son[a-z]+\\s*=").matcher(html).find()).as("an inline event handler").isFalse();
        assertThat(html).doesNotContain("javascript:").doesNotContain("style=\"");
    }

    @Test
    void theJavaScriptClientIsServedAsItIsInClientsJs() throws Exception {
        HttpResponse<String> client = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/walkerd-client.js")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(client.statusCode()).isEqualTo(200);
        assertThat(client.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        Path source = Path.of(System.getProperty("basedir", ".")).resolve("../clients/js/index.js");
        assertThat(client.body()).isEqualTo(Files.readString(source)).contains("export class WalkerdClient").contains("change_user");
    }

    @Test
    void theApiStillAnswersBesideTheStaticFiles() {
        assertThat(http.get("/healthz", null).status()).isEqualTo(200);
        assertThat(http.get("/openapi.json", null).status()).isEqualTo(200);
        assertThat(http.get("/walker/greet/Ada", null).reports().get(0).asText()).isEqualTo("Hello, Ada!");
        assertThat(http.get("/no-such-file.js", null).status()).isEqualTo(404);
    }
}
