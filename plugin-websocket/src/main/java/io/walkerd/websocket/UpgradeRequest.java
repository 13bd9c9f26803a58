package io.walkerd.websocket;

import io.walkerd.auth.Principal;
import io.walkerd.auth.TokenService;

import java.util.List;

/**
 * What the checks of an upgrade to {@code /websocket} need from the HTTP request, read once from Jetty's request so
 * that nothing of the request is kept once the socket is open.
 *
 * @param origin        the {@code Origin} header (browsers send it); null without one
 * @param authorization the {@code Authorization} header; null without one
 * @param channelId     {@code ?channel_id=}; null without one
 * @param version       {@code ?v=}; null without one
 * @param peer          the TCP peer's address
 * @param forwardedFor  the {@code X-Forwarded-For} values, oldest hop first
 */
record UpgradeRequest(String origin, String authorization, String channelId, String version, String peer, List<String> forwardedFor) {

    /** The token's user; the public user without a token or with a bad one (as a connection treats it). */
    Principal principal(TokenService tokens) {
        return authorization == null || authorization.isBlank() ? Principal.PUBLIC
                : tokens.authenticate(authorization).orElse(Principal.PUBLIC);
    }

    /** An upgrade answered with an HTTP status instead of a socket. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false); // an answer, not a failure: no stack trace
            this.status = status;
        }
    }
}
