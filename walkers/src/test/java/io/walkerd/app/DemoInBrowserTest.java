package io.walkerd.app;

import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The demo page works in a real browser: {@code src/test/browser/demo.test.mjs} drives Debian's chromium through
 * playwright-core against the full app server, as two users who chat by user, channel and client, and watches the
 * progress bar of {@code self_progress_notif} reach 100%. Screenshots land in {@code target/browser/}.
 * {@code .ci/run} installs chromium and the script's npm packages.
 */
class DemoInBrowserTest {
    static final Path BASEDIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    static final Path SCRIPT_DIR = BASEDIR.resolve("src/test/browser");
    static final Path SCREENSHOTS = BASEDIR.resolve("target/browser");
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    @RegisterExtension
    static final LiveServer server = new LiveServer();

    @Test
    void twoUsersChatAndTheProgressBarReachesHundredPercent() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: run .ci/run, or apt-get install -y chromium (or set CHROMIUM to a chromium binary)");
        }
        if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
        }
        String output = run(List.of("node", "demo.test.mjs"), Map.of(
                "BASE_URL", server.baseUrl(),
                "SCREENSHOT_DIR", SCREENSHOTS.toString(),
                "CHROMIUM", CHROMIUM.toString()), 180);
        assertThat(output).contains("demo browser test passed");
        assertThat(SCREENSHOTS.resolve("demo-alice.png")).exists();
        assertThat(SCREENSHOTS.resolve("demo-bob.png")).exists();
    }

    /** Runs a command in the script's folder; fails the test with the command's whole output unless it exits 0. */
    private static String run(List<String> command, Map<String, String> env, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(SCRIPT_DIR.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile("walkerd-browser", ".log");
        pb.redirectOutput(log.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + " (is Node.js installed? .ci/run installs what the test needs): " + e.getMessage(), e);
        }
        boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) p.destroyForcibly().waitFor();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        System.out.println(String.join(" ", command) + ":\n" + output);
        if (!finished) fail(command + " did not finish within " + timeoutSeconds + " s; its output:\n" + output);
        if (p.exitValue() != 0) fail(command + " exited with " + p.exitValue() + "; its output:\n" + output);
        return output;
    }
}
