package io.walkerd.walker;

import io.walkerd.auth.Principal;

/** What a running walker knows of its call: who called, how, and the services plugins provide. */
public interface WalkContext {
    Principal caller();

    /** The method the walker was called with: an HTTP method in lower case, or {@code "websocket"}. */
    String method();

    /** A per-call value a plugin attached to the call (for example the websocket connection that sent it). */
    <T> T attribute(Class<T> type);

    /** A server-wide service a plugin provided, or null. */
    <T> T service(Class<T> type);

    /**
     * Records that the call has done something outside the graph that cannot be taken back (a notification was
     * delivered): if its commit then meets a conflict, the walker is not run again, and the call answers 409.
     */
    void markIrreversible();
}
