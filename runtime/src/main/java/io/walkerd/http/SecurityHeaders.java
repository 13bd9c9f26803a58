package io.walkerd.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.walkerd.server.Config;
import io.walkerd.server.InsecureSettings;

/**
 * Browser-facing headers on every response ({@code SECURITY_HEADERS}, default on): a Content-Security-Policy that
 * runs only the server's own scripts (none inline) and forbids framing, {@code X-Content-Type-Options: nosniff},
 * {@code X-Frame-Options: DENY} for older browsers and {@code Referrer-Policy: no-referrer}. Swagger UI at
 * {@code /docs} sets inline styles, so its pages allow those (styles only).
 */
public final class SecurityHeaders {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    static final String DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

    private SecurityHeaders() {}

    /** Adds the headers to every response, unless {@code SECURITY_HEADERS=false}. */
    public static void register(RoutesConfig routes, Config config, InsecureSettings insecure) {
        if (!config.getBoolean("SECURITY_HEADERS", true)) {
            insecure.add("SECURITY_HEADERS=false", "pages may be framed, sniffed and run injected scripts");
            return;
        }
        routes.before(SecurityHeaders::apply);
    }

    static void apply(Context ctx) {
        String path = ctx.path();
        boolean docs = path.equals("/docs") || path.startsWith("/docs/") || path.startsWith("/webjars/");
        ctx.header("Content-Security-Policy", docs ? DOCS_CSP : CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
    }
}
