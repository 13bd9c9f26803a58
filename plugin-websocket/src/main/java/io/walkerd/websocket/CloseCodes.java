package io.walkerd.websocket;

/** The close codes the server sends (RFC 6455 section 7.4.1), documented in the README. */
final class CloseCodes {
    /** The server stops (graceful shutdown). */
    static final int GOING_AWAY = 1001;
    /**
     * Policy violation: the client broke a limit, it does not read (outbound queue full) or it sends events faster
     * than they are processed.
     */
    static final int POLICY = 1008;
    /** An incoming message is larger than {@code SOCKET_MAX_FRAME_BYTES} (sent by Jetty). */
    static final int TOO_BIG = 1009;

    private CloseCodes() {}
}
