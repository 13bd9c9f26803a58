package io.walkerd.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the scripts of {@code src/test/browser}, which drive Debian's chromium through playwright-core
 * ({@code browser.mjs} has what they share) against a live server, and fails the test with the script's whole output
 * unless it exits 0 ({@link NodeCommands}). Screenshots land in {@code target/browser/}. {@code .ci/run} installs
 * chromium and the scripts' npm packages; without the packages, the first run installs them.
 */
final class BrowserScripts {
    static final Path BASEDIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    static final Path SCRIPT_DIR = BASEDIR.resolve("src/test/browser");
    static final Path SCREENSHOTS = BASEDIR.resolve("target/browser");
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    private BrowserScripts() {}

    /**
     * Runs {@code node <script>} with {@code BASE_URL}, {@code SCREENSHOT_DIR}, {@code CHROMIUM} and {@code env}
     * set; returns its output.
     */
    static String run(String script, String baseUrl, Map<String, String> env, long timeoutSeconds) throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: run .ci/run, or apt-get install -y chromium (or set CHROMIUM to a chromium binary)");
        }
        if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"))) {
            NodeCommands.run(SCRIPT_DIR, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
        }
        Map<String, String> all = new HashMap<>(env);
        all.put("BASE_URL", baseUrl);
        all.put("SCREENSHOT_DIR", SCREENSHOTS.toString());
        all.put("CHROMIUM", CHROMIUM.toString());
        return NodeCommands.run(SCRIPT_DIR, List.of("node", script), all, timeoutSeconds);
    }
}
