package io.walkerd.app.echo;

import io.walkerd.graph.Node;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Required;
import io.walkerd.walker.Specs;
import io.walkerd.walker.Walker;
import io.walkerd.walker.WalkerFailure;

/**
 * Reports its {@code text} back: the smallest websocket walker whose answer depends on its input, which is what a
 * client needs to show that each reply reaches its own call. {@code delay_ms} makes it slow (at most 10 s), and
 * {@code fail_status} (400 to 599) makes it fail with that status and the text as its error. No token needed.
 */
@Specs(methods = {"websocket", "post"}, auth = false, tags = {"echo"}, summary = "Report the text back")
public class Echo extends Walker {
    static final int MAX_DELAY_MS = 10_000;

    @Required public String text;
    public int delay_ms = 0;
    public int fail_status = 0;

    @OnEntry
    void echo(Node here) {
        if (delay_ms > 0) {
            try {
                Thread.sleep(Math.min(delay_ms, MAX_DELAY_MS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WalkerFailure(503, "echo was interrupted");
            }
        }
        if (fail_status != 0) {
            if (fail_status < 400 || fail_status > 599) throw new WalkerFailure(422, "fail_status must be between 400 and 599");
            throw new WalkerFailure(fail_status, text);
        }
        report(text);
    }
}
