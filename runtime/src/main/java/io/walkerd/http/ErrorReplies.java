package io.walkerd.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.walkerd.server.LogContext;
import io.walkerd.server.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replies to failures nobody planned for: the client gets {@code {"error": "internal error", "error_id": "<id>"}}
 * and nothing of the failure itself (no exception type, no driver message, no stack), while the log gets the whole
 * failure under the same id, so that a user's report can be matched with it.
 */
public final class ErrorReplies {
    public static final String INTERNAL = "internal error";
    private static final Logger log = LoggerFactory.getLogger(ErrorReplies.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private ErrorReplies() {}

    /** A fresh error id: 16 hex characters. */
    public static String newId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Logs an unexpected failure at ERROR with a fresh id (in the message, and as {@code error_id} in the log
     * context) and returns the id. {@code what} says what failed (it is escaped, as is the failure's text).
     */
    public static String logged(Logger logger, String what, Throwable failure) {
        String id = newId();
        try (LogContext.Scope scope = LogContext.with(LogContext.ERROR_ID, id)) {
            logger.error("error_id {}: {}", id, LogSafe.of(what), LogSafe.throwable(failure));
        }
        return id;
    }

    /** The body of an internal error: {@code {"error": "internal error", "error_id": id}}. */
    public static Map<String, Object> body(String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", INTERNAL);
        m.put("error_id", id);
        return m;
    }

    /**
     * Why a text is not JSON, in the parser's words without its internals (the source description, the names of
     * its features): {@code Invalid JSON at line 1, column 6: Unexpected end-of-input}.
     */
    public static String invalidJson(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        for (String cut : new String[] {"\n", " (start marker", " at [Source", "[Source"}) {
            int at = m.indexOf(cut);
            if (at >= 0) m = m.substring(0, at);
        }
        JsonLocation where = e.getLocation();
        String place = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
        return "Invalid JSON" + place + (m.isBlank() ? "" : ": " + m.trim());
    }

    /** Any exception a route does not handle answers 500 with the internal-error body (Javalin's own HTTP errors keep theirs). */
    public static void register(RoutesConfig routes) {
        // the store went away (a token check, a login): 503, so that a client or a balancer knows to retry elsewhere
        routes.exception(io.walkerd.store.StoreUnavailable.class, (e, ctx) -> {
            String id = logged(ctx, ": the store is unavailable", e);
            ctx.status(503).json(Map.of("error", "store unavailable", "error_id", id));
        });
        routes.exception(Exception.class, (e, ctx) -> {
            String id = logged(ctx, " failed", e);
            ctx.status(500).json(body(id));
        });
    }

    /** Logs a failure of the request {@code ctx} (its request id in the log context); returns the error id. */
    private static String logged(Context ctx, String what, Exception e) {
        try (LogContext.Scope scope = LogContext.with(LogContext.REQUEST_ID, RequestIds.of(ctx))) {
            return logged(log, ctx.method() + " " + ctx.path() + what, e);
        }
    }
}
