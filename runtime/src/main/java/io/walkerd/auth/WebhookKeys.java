package io.walkerd.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.graph.Id;
import io.walkerd.graph.RefId;
import io.walkerd.store.Store;
import io.walkerd.store.WebhookKeyRecord;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Webhook API keys (jac-cloud's {@code /webhook} routes): made by a user for their root, limited to some webhook
 * walkers and node types, valid until they expire or are deleted. A key is shown once, when it is made; the store
 * keeps only its SHA-256 (a key is 32 random characters, so a fast hash is as safe as a slow one).
 */
public final class WebhookKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Set<String> INTERVALS = Set.of("seconds", "minutes", "hours", "days");

    private final Store store;

    public WebhookKeys(Store store) { this.store = store; }

    /** An HTTP outcome: status and JSON-ready body. */
    public record Result(int status, Object body) {}

    /** {@code POST /webhook/generate-key}: {@code name, walkers, nodes, expiration {count, interval}} → {@code {id, name, key}}. */
    public Result generate(Principal caller, JsonNode body) {
        List<Map<String, Object>> problems = new ArrayList<>();
        String name = body.path("name").isTextual() && !body.get("name").asText().isBlank() ? body.get("name").asText() : null;
        if (name == null) problems.add(problem(body.has("name") ? "string_type" : "missing", "name",
                body.has("name") ? "Input should be a non-empty string" : "Field required"));
        List<String> walkers = texts(body, "walkers", problems);
        List<String> nodes = texts(body, "nodes", problems);
        Duration lifetime = lifetime(body.get("expiration"), "expiration", problems);
        if (!problems.isEmpty()) return new Result(422, Map.of("detail", problems));
        String key = caller.rootId().hex() + ":" + Instant.now().getEpochSecond() + ":" + randomText(32);
        WebhookKeyRecord record = new WebhookKeyRecord(Id.random(), name, caller.rootId(), walkers, nodes,
                Instant.now().plus(lifetime).truncatedTo(ChronoUnit.MILLIS), hash(key));
        if (!store.createWebhookKey(record)) return new Result(409, Map.of("message", "Webhook key name " + name + " already exists!"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", record.id().hex());
        out.put("name", name);
        out.put("key", key);
        return new Result(201, out);
    }

    /** {@code GET /webhook}: the caller's keys (without the keys themselves, which are not kept). */
    public Result list(Principal caller) {
        List<Map<String, Object>> keys = new ArrayList<>();
        for (WebhookKeyRecord k : store.webhookKeys(caller.rootId())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", k.id().hex());
            m.put("name", k.name());
            m.put("root_id", k.root().hex());
            m.put("walkers", k.walkers());
            m.put("nodes", k.nodes());
            m.put("expiration", k.expiration().toString());
            keys.add(m);
        }
        return new Result(200, Map.of("keys", keys));
    }

    /** {@code PATCH /webhook/extend/{id}}: {@code {count, interval}} more, from now or from the expiration if later. */
    public Result extend(Principal caller, String id, JsonNode body) {
        List<Map<String, Object>> problems = new ArrayList<>();
        Duration more = lifetime(body, null, problems);
        if (!problems.isEmpty()) return new Result(422, Map.of("detail", problems));
        if (!Id.isValid(id)) return notFound();
        Optional<WebhookKeyRecord> key = store.webhookKeys(caller.rootId()).stream().filter(k -> k.id().hex().equals(id.toLowerCase())).findFirst();
        if (key.isEmpty()) return notFound();
        Instant from = key.get().expiration().isAfter(Instant.now()) ? key.get().expiration() : Instant.now();
        Instant until = from.plus(more).truncatedTo(ChronoUnit.MILLIS);
        if (!store.extendWebhookKey(caller.rootId(), key.get().id(), until)) return notFound();
        return new Result(200, Map.of("message", "Successfully Extended!", "expiration", until.toString()));
    }

    /** {@code DELETE /webhook/delete}: {@code {ids}}; ids that are not the caller's keys are ignored. */
    public Result delete(Principal caller, JsonNode body) {
        List<Map<String, Object>> problems = new ArrayList<>();
        List<String> ids = texts(body, "ids", problems);
        if (!body.has("ids")) problems.add(problem("missing", "ids", "Field required"));
        if (!problems.isEmpty()) return new Result(422, Map.of("detail", problems));
        List<Id> valid = ids.stream().filter(Id::isValid).map(Id::of).toList();
        int deleted = store.deleteWebhookKeys(caller.rootId(), valid);
        return new Result(200, Map.of("message", "Successfully Deleted!", "deleted", deleted));
    }

    /**
     * Who a webhook call with {@code key} runs as: the key's root, if the key exists, has not expired, and allows
     * this walker and the type of node it spawns on ({@code root} for a root); else empty.
     */
    public Optional<Principal> authenticate(String key, String walker, String nodeRef) {
        if (key == null || key.isBlank()) return Optional.empty();
        Optional<WebhookKeyRecord> found = store.webhookKeyByHash(hash(key.trim()));
        if (found.isEmpty()) return Optional.empty();
        WebhookKeyRecord k = found.get();
        if (!k.expiration().isAfter(Instant.now())) return Optional.empty();
        if (!k.walkers().isEmpty() && !k.walkers().contains(walker)) return Optional.empty();
        if (!k.nodes().isEmpty()) {
            RefId ref = nodeRef == null ? null : RefId.parse(nodeRef);
            String type = ref == null || ref.isRoot() ? "root" : ref.type();
            if (!k.nodes().contains(type)) return Optional.empty();
        }
        return Optional.of(Principal.ofRoot(k.root()));
    }

    /** Lower-case hex SHA-256 of the key's UTF-8 bytes. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }

    private static String randomText(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return b.toString();
    }

    /** {@code {count, interval}} as a duration (default 60 days); a bad part adds a problem under {@code field}. */
    private static Duration lifetime(JsonNode e, String field, List<Map<String, Object>> problems) {
        String at = field == null ? "" : field + ".";
        if (e == null || e.isNull() || e.isMissingNode()) return Duration.ofDays(60);
        if (!e.isObject()) {
            problems.add(problem("model_attributes_type", field == null ? "" : field, "Input should be a valid dictionary or object"));
            return Duration.ZERO;
        }
        long count = 60;
        if (e.has("count")) {
            if (!e.get("count").canConvertToLong() || !e.get("count").isIntegralNumber() || e.get("count").asLong() <= 0) {
                problems.add(problem("greater_than", at + "count", "Input should be a whole number greater than 0"));
            } else {
                count = e.get("count").asLong();
            }
        }
        String interval = e.path("interval").asText("days");
        if (e.has("interval") && (!e.get("interval").isTextual() || !INTERVALS.contains(interval))) {
            problems.add(problem("literal_error", at + "interval", "Input should be 'seconds', 'minutes', 'hours' or 'days'"));
            return Duration.ZERO;
        }
        return switch (interval) {
            case "seconds" -> Duration.ofSeconds(count);
            case "minutes" -> Duration.ofMinutes(count);
            case "hours" -> Duration.ofHours(count);
            default -> Duration.ofDays(count);
        };
    }

    private static List<String> texts(JsonNode body, String field, List<Map<String, Object>> problems) {
        JsonNode v = body.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) return out;
        if (!v.isArray()) {
            problems.add(problem("list_type", field, "Input should be a valid list"));
            return out;
        }
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                problems.add(problem("string_type", field, "Input should be a list of strings"));
                return out;
            }
            out.add(item.asText());
        }
        return out;
    }

    private static Result notFound() { return new Result(404, Map.of("message", "Webhook key not found!")); }

    private static Map<String, Object> problem(String type, String field, String msg) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", type);
        p.put("loc", List.of("body", field));
        p.put("msg", msg);
        return p;
    }
}
