package io.walkerd.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Every HTTP request has an id, answered in the {@code X-Request-Id} header and put in the log context while its
 * walker runs ({@code request_id}): the client's own {@code X-Request-Id} when it is sane (1 to
 * {@value #MAX_LENGTH} letters, digits and {@code . _ : + = / -}, as request ids and trace ids are written), so that
 * a proxy's or a client's id reaches our logs; a fresh one otherwise, never the client's text changed.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    static final int MAX_LENGTH = 128;
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:+=/-]{1," + MAX_LENGTH + "}");
    private static final String ATTRIBUTE = "walkerd.requestId";

    private RequestIds() {}

    public static void register(RoutesConfig routes) {
        routes.before(ctx -> {
            String id = accept(ctx.header(HEADER));
            ctx.attribute(ATTRIBUTE, id);
            ctx.header(HEADER, id);
        });
    }

    /** The id of this request; null where {@link #register} did not run (another server's routes). */
    public static String of(Context ctx) { return ctx.attribute(ATTRIBUTE); }

    /** {@code given} when it is a sane id, else a fresh one (16 hex characters). */
    static String accept(String given) {
        if (given != null && SANE.matcher(given).matches()) return given;
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
