package io.walkerd.server;

import io.javalin.http.Context;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The address a request comes from, as the per-address limits (login throttling, websocket connections) count it:
 * the TCP peer's, or, when the peer is one of {@code TRUSTED_PROXIES}, the one that {@code X-Forwarded-For} names.
 * Behind a reverse proxy every peer is the proxy, so without the setting every client would share one address;
 * with it, the header is believed only as far as trusted proxies wrote it (read from the right, the first address
 * that is not a trusted proxy is the client), so a client cannot choose its address by sending the header itself.
 */
public final class ClientAddress {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV4_WITH_PORT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}):\\d+");

    private final List<Range> trusted;

    private ClientAddress(List<Range> trusted) { this.trusted = List.copyOf(trusted); }

    /** From {@code TRUSTED_PROXIES}: comma-separated IP addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code ::1}). */
    public static ClientAddress from(Config config) {
        String setting = config.get("TRUSTED_PROXIES");
        List<Range> ranges = new ArrayList<>();
        if (setting != null) {
            for (String part : setting.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) continue;
                Range r = Range.parse(p);
                if (r == null) {
                    throw new IllegalArgumentException("TRUSTED_PROXIES: '" + LogSafe.of(p) + "' is not an IP address or CIDR range");
                }
                ranges.add(r);
            }
        }
        return new ClientAddress(ranges);
    }

    /** Whether any proxy is trusted. */
    public boolean trustsProxies() { return !trusted.isEmpty(); }

    /** The client address of an HTTP request (or websocket upgrade). */
    public String of(Context ctx) {
        return of(ctx.req().getRemoteAddr(), Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
    }

    /**
     * The client address for a request from {@code peer} carrying these {@code X-Forwarded-For} header values
     * (each a comma-separated list, oldest hop first).
     */
    public String of(String peer, List<String> forwardedFor) {
        InetAddress hop = literal(peer);
        if (hop == null) return peer;
        if (!isTrusted(hop) || forwardedFor == null || forwardedFor.isEmpty()) return hop.getHostAddress();
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String h : header.split(",")) if (!h.isBlank()) hops.add(h.trim());
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress a = literal(hops.get(i));
            if (a == null) break; // a trusted proxy would not write this: stop at the last hop we can believe
            hop = a;
            if (!isTrusted(a)) break;
        }
        return hop.getHostAddress();
    }

    private boolean isTrusted(InetAddress a) {
        for (Range r : trusted) if (r.contains(a)) return true;
        return false;
    }

    /**
     * An IP address written as a literal ({@code 1.2.3.4}, {@code 1.2.3.4:5678}, {@code ::1}, {@code [::1]}), or null.
     * Never a name: resolving names taken from a header would let a client make the server query DNS.
     */
    static InetAddress literal(String text) {
        if (text == null) return null;
        String t = text.trim();
        if (t.startsWith("[") && t.contains("]")) t = t.substring(1, t.indexOf(']'));
        var withPort = IPV4_WITH_PORT.matcher(t);
        if (withPort.matches()) t = withPort.group(1);
        try {
            if (IPV4.matcher(t).matches()) {
                String[] parts = t.split("\\.");
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int n = Integer.parseInt(parts[i]);
                    if (n > 255) return null;
                    b[i] = (byte) n;
                }
                return InetAddress.getByAddress(b);
            }
            boolean v6 = t.indexOf(':') >= 0 && t.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
            // a text with a colon is parsed as an IPv6 literal or refused, never looked up
            return v6 ? InetAddress.getByName(t) : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** One trusted address or CIDR range. */
    private record Range(byte[] network, int prefixBits) {
        static Range parse(String text) {
            int slash = text.indexOf('/');
            InetAddress a = literal(slash < 0 ? text : text.substring(0, slash));
            if (a == null) return null;
            int bits = a.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    return null;
                }
                if (prefix < 0 || prefix > bits) return null;
            }
            return new Range(a.getAddress(), prefix);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) return false;
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
            int rest = prefixBits % 8;
            if (rest == 0) return true;
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
