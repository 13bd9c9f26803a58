package io.walkerd.walker;

import java.time.Instant;

/**
 * Attached to the call of a scheduled walker's run ({@code context().attribute(ScheduledRun.class)}): the trigger
 * time it runs for. Null for any other call.
 */
public record ScheduledRun(Instant trigger) {}
