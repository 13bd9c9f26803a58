package io.walkerd.app;

import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page works in a real browser under the server's Content-Security-Policy:
 * {@code src/test/browser/admin.test.mjs} signs in with {@code ADMIN_TOKEN}, sees a websocket connection that another
 * page opens counted within a second, finds its channel and its presence. The screenshot is
 * {@code target/browser/admin.png}.
 */
class AdminInBrowserTest {
    static final String ADMIN_TOKEN = "browser-admin-token-0123456789abcdef";
    @RegisterExtension
    static final LiveServer server = new LiveServer(Map.of("ADMIN_TOKEN", ADMIN_TOKEN));

    @Test
    void theAdminPageShowsANewConnectionWithinASecond() throws Exception {
        String output = BrowserScripts.run("admin.test.mjs", server.baseUrl(), Map.of("ADMIN_TOKEN", ADMIN_TOKEN), 180);
        assertThat(output).contains("admin browser test passed");
        assertThat(BrowserScripts.SCREENSHOTS.resolve("admin.png")).exists();
    }
}
