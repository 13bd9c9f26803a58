package io.walkerd.app;

import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo page works in a real browser: {@code src/test/browser/demo.test.mjs} drives Debian's chromium through
 * playwright-core against the full app server, as two users who chat by user, channel and client, and watches the
 * progress bar of {@code self_progress_notif} reach 100%. Screenshots land in {@code target/browser/}.
 */
class DemoInBrowserTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();

    @Test
    void twoUsersChatAndTheProgressBarReachesHundredPercent() throws Exception {
        String output = BrowserScripts.run("demo.test.mjs", server.baseUrl(), Map.of(), 180);
        assertThat(output).contains("demo browser test passed");
        assertThat(BrowserScripts.SCREENSHOTS.resolve("demo-alice.png")).exists();
        assertThat(BrowserScripts.SCREENSHOTS.resolve("demo-bob.png")).exists();
    }
}
