package io.walkerd.websocket;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.walkerd.auth.AdminAccess;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The admin page at {@code /admin} (plain HTML, CSS and JavaScript from {@code /walkerd-admin} on the class path;
 * the page itself holds no data) and its JSON API under {@code /admin/api/}, for the holder of {@code ADMIN_TOKEN}
 * or a user marked admin ({@link AdminAccess}): 401 without a valid credential, 403 for another user.
 *
 * <ul>
 *   <li>{@code GET /admin/api/summary}: connections, channels, Redis, rates, slowest walkers ({@link AdminFeed#summary})</li>
 *   <li>{@code GET /admin/api/stream}: the same as server-sent events ({@code event: summary}), every second</li>
 *   <li>{@code GET /admin/api/channels?q=&limit=}: this instance's channels whose id contains {@code q}, most members first</li>
 *   <li>{@code GET /admin/api/presence?channel_id=}: who is in a channel, on every instance</li>
 * </ul>
 */
final class AdminRoutes {
    static final int DEFAULT_CHANNELS = 50;
    static final int MAX_CHANNELS = 500;
    /** Most presence entries listed (the count is always whole). */
    static final int MAX_PRESENCE = 1000;
    private static final long PRESENCE_WAIT_SECONDS = 5;
    private static final String RESOURCES = "/walkerd-admin/";

    private final AdminAccess access;
    private final AdminFeed feed;
    private final Hub hub;
    private final Presence presence;
    private final ObjectMapper json;

    AdminRoutes(AdminAccess access, AdminFeed feed, Hub hub, Presence presence, ObjectMapper json) {
        this.access = access;
        this.feed = feed;
        this.hub = hub;
        this.presence = presence;
        this.json = json;
    }

    void register(RoutesConfig routes) {
        byte[] page = resource("index.html");
        byte[] script = resource("admin.js");
        byte[] style = resource("admin.css");
        routes.get("/admin", ctx -> file(ctx, "text/html; charset=utf-8", page));
        routes.get("/admin/admin.js", ctx -> file(ctx, "text/javascript; charset=utf-8", script));
        routes.get("/admin/admin.css", ctx -> file(ctx, "text/css; charset=utf-8", style));
        routes.before("/admin/api/*", this::authorise);
        routes.get("/admin/api/summary", ctx -> ctx.json(feed.summary()));
        routes.get("/admin/api/channels", this::channels);
        routes.get("/admin/api/presence", this::presence);
        routes.sse("/admin/api/stream", feed::watch);
    }

    /** {@code ADMIN_TOKEN} or an admin user's token, as a bearer token; browsers send it from {@code fetch}, never in a URL. */
    private void authorise(Context ctx) {
        AdminAccess.Verdict verdict = access.check(ctx.header("Authorization"));
        if (verdict.allowed()) return;
        ctx.skipRemainingHandlers();
        ctx.header("Cache-Control", "no-store");
        if (verdict == AdminAccess.Verdict.NOT_ADMIN) {
            ctx.status(403).json(Map.of("error", "this user is not an admin"));
        } else {
            ctx.header("WWW-Authenticate", "Bearer");
            ctx.status(401).json(Map.of("error", "an admin token is required: ADMIN_TOKEN, or the token of a user marked admin, as 'Authorization: Bearer <token>'"));
        }
    }

    private void channels(Context ctx) {
        String q = ctx.queryParam("q");
        String needle = q == null ? "" : q.toLowerCase(Locale.ROOT);
        int limit = intParam(ctx, "limit", DEFAULT_CHANNELS, 1, MAX_CHANNELS);
        record Entry(String id, int members) {}
        List<Entry> found = new ArrayList<>();
        for (String id : hub.channelIds()) {
            if (needle.isEmpty() || id.toLowerCase(Locale.ROOT).contains(needle)) found.add(new Entry(id, hub.members(id).size()));
        }
        found.sort(Comparator.comparingInt(Entry::members).reversed().thenComparing(Entry::id));
        ObjectNode out = json.createObjectNode();
        out.put("total", found.size());
        ArrayNode list = out.putArray("channels");
        for (Entry e : found.subList(0, Math.min(limit, found.size()))) list.addObject().put("channel_id", e.id()).put("members", e.members());
        ctx.json(out);
    }

    private void presence(Context ctx) throws InterruptedException {
        String channel = ctx.queryParam("channel_id");
        if (channel == null || channel.isEmpty()) throw new BadRequestResponse("channel_id is required");
        List<ClientRef> members;
        try {
            members = presence.members(channel).get(PRESENCE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("presence of a channel could not be read", e);
        }
        ObjectNode out = json.createObjectNode();
        out.put("channel_id", channel);
        out.put("count", members.size());
        ArrayNode clients = out.putArray("clients");
        for (ClientRef m : members.subList(0, Math.min(MAX_PRESENCE, members.size()))) {
            clients.addObject().put("client_id", m.clientId()).put("root_id", m.rootId());
        }
        ctx.json(out);
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) return fallback;
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            throw new BadRequestResponse(name + " must be a whole number");
        }
    }

    private static void file(Context ctx, String type, byte[] content) {
        ctx.header("Cache-Control", "no-cache").contentType(type).result(content);
    }

    private static byte[] resource(String name) {
        try (InputStream in = AdminRoutes.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) throw new IllegalStateException(RESOURCES + name + " is missing from the websocket plugin's jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
