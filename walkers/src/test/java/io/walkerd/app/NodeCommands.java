package io.walkerd.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/** Runs Node.js tooling ({@code node}, {@code npm}) for the tests that drive JavaScript: the browser tests and the client's. */
final class NodeCommands {
    private NodeCommands() {}

    /**
     * Runs a command in {@code dir} with {@code env} added; fails the test with the command's whole output unless it
     * exits 0 within {@code timeoutSeconds} (then it is killed with its children). Returns the output.
     */
    static String run(Path dir, List<String> command, Map<String, String> env, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile("walkerd-node", ".log");
        pb.redirectOutput(log.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + " (is Node.js 20+ installed? .ci/run installs what the tests need): "
                    + e.getMessage(), e);
        }
        boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        System.out.println(String.join(" ", command) + ":\n" + output);
        if (!finished) fail(command + " did not finish within " + timeoutSeconds + " s; its output:\n" + output);
        if (p.exitValue() != 0) fail(command + " exited with " + p.exitValue() + "; its output:\n" + output);
        return output;
    }
}
