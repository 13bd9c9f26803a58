package io.walkerd.websocket;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code SOCKET_ALLOWED_ORIGINS}: which web pages may open a socket. A browser always sends the page's
 * {@code Origin} with an upgrade, so an upgrade from any other origin is refused (403); a request without the header
 * does not come from a browser page (a native client, a server) and is let through, as is everything when the
 * setting is unset.
 */
final class OriginCheck {
    private final Set<String> allowed;

    /** @param allowed normalised origins; null allows any */
    OriginCheck(Set<String> allowed) { this.allowed = allowed; }

    /** The setting's comma-separated origins, normalised ({@code https://app.example.com}). */
    static Set<String> parse(String setting) {
        Set<String> out = new LinkedHashSet<>();
        for (String part : setting.split(",")) {
            String o = normalise(part);
            if (o.isEmpty()) continue;
            if (!o.matches("[a-z][a-z0-9+.-]*://[^/?#\\s]+")) {
                throw new IllegalArgumentException("SOCKET_ALLOWED_ORIGINS: '" + part.trim() + "' is not an origin like https://app.example.com");
            }
            out.add(o);
        }
        return out;
    }

    /** Whether an upgrade carrying this {@code Origin} header (null when it has none) may go on. */
    boolean allows(String origin) {
        if (allowed == null || origin == null) return true;
        return allowed.contains(normalise(origin));
    }

    /** Scheme and host compare without case; a trailing slash is dropped. */
    private static String normalise(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        while (o.endsWith("/")) o = o.substring(0, o.length() - 1);
        return o;
    }
}
