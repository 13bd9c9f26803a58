package io.walkerd.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The JavaScript client's own tests ({@code clients/js}: {@code npm test}, the type check of its typed example and
 * its node:test suites) against the server jar this build just packaged. They start {@code target/walkerd.jar} as a
 * child process (several times, with different settings), so this runs in the {@code integration-test} phase, after
 * {@code package}: the {@code js-client} execution of surefire in this module's pom. {@code npm ci} runs first when
 * the packages are missing or older than the lock file; {@code .ci/run} installs Node.js when a machine lacks it.
 */
class JsClientIT {
    static final Path BASEDIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    static final Path CLIENT = BASEDIR.resolve("../clients/js").normalize();
    static final Path JAR = BASEDIR.resolve("target/walkerd.jar");
    static final Pattern COUNT = Pattern.compile("^# (tests|pass|fail) (\\d+)$", Pattern.MULTILINE);

    @Test
    void theClientsTypeCheckAndTestSuitesPassAgainstTheBuiltJar() throws Exception {
        // only in the js-client execution, after package (a -Dtest=JsClientIT also selects it for the test phase)
        assumeTrue(Boolean.getBoolean("walkerd.jsClient"), "runs in the integration-test phase, after package");
        assertThat(JAR).as("the shaded jar (this test runs after package)").exists();
        Path installed = CLIENT.resolve("node_modules/.package-lock.json");
        if (!Files.exists(installed)
                || Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(CLIENT.resolve("package-lock.json"))) < 0) {
            NodeCommands.run(CLIENT, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
        }
        String output = NodeCommands.run(CLIENT, List.of("npm", "test"), Map.of(
                "WALKERD_JAR", JAR.toString(),
                "JAVA_HOME", System.getProperty("java.home")), 900);
        Map<String, Integer> counts = new java.util.HashMap<>();
        Matcher m = COUNT.matcher(output);
        while (m.find()) counts.put(m.group(1), Integer.parseInt(m.group(2)));
        assertThat(counts.get("fail")).as("failed node tests").isZero();
        assertThat(counts.get("pass")).as("passed node tests").isEqualTo(counts.get("tests")).isGreaterThanOrEqualTo(20);
    }
}
