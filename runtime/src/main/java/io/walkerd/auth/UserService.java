package io.walkerd.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import io.walkerd.graph.ArchetypeJson;
import io.walkerd.store.GraphStore;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static com.mongodb.client.model.Filters.eq;

/** Registration, login and password change (protocol.md section 2), over the {@code user} collection. */
public final class UserService {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Set<String> RESERVED = Set.of("_id", "id", "email", "password", "root_id", "is_activated", "is_admin", "token_version");

    private final MongoCollection<Document> users;
    private final GraphStore graph;
    private final TokenService tokens;
    private final PasswordHasher hasher;

    public UserService(MongoCollection<Document> users, GraphStore graph, TokenService tokens, PasswordHasher hasher) {
        this.users = users;
        this.graph = graph;
        this.tokens = tokens;
        this.hasher = hasher;
        graph.uniqueIndex("user", "email");
    }

    /** An HTTP outcome: status and JSON-ready body. */
    public record Result(int status, Object body) {}

    public Result register(JsonNode body) {
        List<Map<String, Object>> problems = new ArrayList<>();
        String email = text(body, "email", problems);
        String password = text(body, "password", problems);
        if (email != null && !EMAIL.matcher(email).matches()) {
            problems.add(problem("value_error", "email", "value is not a valid email address"));
        }
        if (!problems.isEmpty()) return new Result(422, Map.of("detail", problems));
        Document user = new Document("_id", new ObjectId()).append("email", email.toLowerCase(Locale.ROOT))
                .append("password", hasher.hash(password)).append("is_activated", true).append("is_admin", false)
                .append("token_version", 0);
        body.fields().forEachRemaining(f -> {
            if (!RESERVED.contains(f.getKey())) user.append(f.getKey(), ArchetypeJson.STORAGE.convertValue(f.getValue(), Object.class));
        });
        if (users.find(eq("email", user.getString("email"))).first() != null) return conflict();
        ObjectId root = graph.createRoot();
        user.append("root_id", root);
        try {
            users.insertOne(user);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) return conflict();
            throw e;
        }
        return new Result(201, Map.of("message", "Successfully Registered!"));
    }

    public Result login(JsonNode body) {
        String email = body != null && body.path("email").isTextual() ? body.get("email").asText().toLowerCase(Locale.ROOT) : null;
        String password = body != null && body.path("password").isTextual() ? body.get("password").asText() : null;
        Document user = email == null ? null : users.find(eq("email", email)).first();
        if (!hasher.verify(password, user == null ? null : user.getString("password")) || user == null) { // no user: same cost
            return new Result(400, Map.of("message", "Invalid Email/Password!"));
        }
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("id", user.getObjectId("_id").toHexString());
        u.put("email", user.getString("email"));
        u.put("root_id", user.getObjectId("root_id").toHexString());
        u.put("is_activated", user.getBoolean("is_activated", true));
        u.put("is_admin", user.getBoolean("is_admin", false));
        user.forEach((k, v) -> { if (!RESERVED.contains(k)) u.put(k, v); });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", tokens.issue(user));
        out.put("user", u);
        return new Result(200, out);
    }

    /** Changes the password and revokes every token of the user. */
    public Result changePassword(Principal caller, JsonNode body) {
        String oldPassword = body != null && body.path("old_password").isTextual() ? body.get("old_password").asText() : null;
        String newPassword = body != null && body.path("new_password").isTextual() ? body.get("new_password").asText() : null;
        Document user = users.find(eq("_id", new ObjectId(caller.userId()))).first();
        if (user == null || newPassword == null || newPassword.isEmpty() || !hasher.verify(oldPassword, user.getString("password"))) {
            return new Result(403, Map.of("message", "Update Failed!"));
        }
        users.updateOne(eq("_id", user.getObjectId("_id")), new Document("$set", new Document("password", hasher.hash(newPassword)))
                .append("$inc", new Document("token_version", 1)));
        return new Result(200, Map.of("message", "Successfully Updated!"));
    }

    private Result conflict() { return new Result(409, Map.of("message", "Email already registered!")); }

    private static String text(JsonNode body, String field, List<Map<String, Object>> problems) {
        JsonNode v = body == null ? null : body.get(field);
        if (v == null || v.isNull()) {
            problems.add(problem("missing", field, "Field required"));
            return null;
        }
        if (!v.isTextual() || v.asText().isEmpty()) {
            problems.add(problem("string_type", field, "Input should be a non-empty string"));
            return null;
        }
        return v.asText();
    }

    private static Map<String, Object> problem(String type, String field, String msg) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", type);
        p.put("loc", List.of("body", field));
        p.put("msg", msg);
        return p;
    }
}
