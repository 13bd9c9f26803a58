package io.walkerd.walker;

/**
 * How far one call may go: {@code maxSteps} node entries ({@code WALKER_MAX_STEPS}) and {@code timeoutMillis} of
 * running time ({@code WALKER_TIMEOUT_MS}), counted over the walker and every walker it spawns. Past either, the
 * call fails naming the limit and writes nothing.
 */
public record Limits(long maxSteps, long timeoutMillis) {
    public static final Limits DEFAULT = new Limits(100_000, 30_000);

    public Limits {
        if (maxSteps < 1) throw new IllegalArgumentException("WALKER_MAX_STEPS must be at least 1");
        if (timeoutMillis < 1) throw new IllegalArgumentException("WALKER_TIMEOUT_MS must be at least 1");
    }
}
