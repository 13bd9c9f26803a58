package io.walkerd.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Access;
import io.walkerd.graph.Id;
import io.walkerd.store.Store;
import io.walkerd.store.StoreLimits;
import io.walkerd.store.StoredJson;
import io.walkerd.store.UserRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Registration, login and password change (protocol.md section 2), over the store's users. */
public final class UserService {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Set<String> RESERVED = StoredJson.USER_FIELDS;

    private final Store store;
    private final TokenService tokens;
    private final PasswordHasher hasher;
    private final StoreLimits limits;

    public UserService(Store store, TokenService tokens, PasswordHasher hasher, StoreLimits limits) {
        this.store = store;
        this.tokens = tokens;
        this.hasher = hasher;
        this.limits = limits;
    }

    /** An HTTP outcome: status and JSON-ready body. */
    public record Result(int status, Object body) {}

    public Result register(JsonNode body) {
        List<Map<String, Object>> problems = new ArrayList<>();
        String email = AccountRules.text(body, "email", problems);
        String password = AccountRules.text(body, "password", problems);
        if (email != null && !EMAIL.matcher(email).matches()) {
            problems.add(AccountRules.problem("value_error", "email", "value is not a valid email address"));
        }
        ObjectNode extra = JsonNodeFactory.instance.objectNode();
        if (body != null && body.isObject()) {
            body.fields().forEachRemaining(f -> {
                if (RESERVED.contains(f.getKey())) return;
                String tooBig = limits.problem(f.getValue(), 1);
                if (tooBig != null) problems.add(AccountRules.problem("value_error", f.getKey(), "Value is " + tooBig + " (the store's limit)"));
                else extra.set(f.getKey(), f.getValue());
            });
        }
        if (problems.isEmpty()) {
            String tooBig = limits.problem(extra);
            if (tooBig != null) problems.add(AccountRules.problem("value_error", "", "The registration is " + tooBig + " (the store's limit)"));
        }
        if (!problems.isEmpty()) return new Result(422, Map.of("detail", problems));
        String normalised = email.toLowerCase(Locale.ROOT);
        if (store.userByEmail(normalised).isPresent()) return conflict();
        // users and roots: twelve random bytes, so that an id tells nothing of when its user registered, nor of its
        // neighbours' ids (UnguessableIdsTest); one per registration, their scattered index entries cost nothing
        Id root = Id.random();
        UserRecord user = new UserRecord(Id.random(), normalised, hasher.hash(password), root, true, false, 0, extra);
        if (!store.createUser(user, StoredJson.root(root, Access.NO_ACCESS.name()))) return conflict();
        return new Result(201, Map.of("message", "Successfully Registered!"));
    }

    public Result login(JsonNode body) {
        String email = body != null && body.path("email").isTextual() ? body.get("email").asText().toLowerCase(Locale.ROOT) : null;
        String password = body != null && body.path("password").isTextual() ? body.get("password").asText() : null;
        Optional<UserRecord> found = email == null ? Optional.empty() : store.userByEmail(email);
        // an unknown email costs a hash like a wrong password, so the time of the answer tells nothing
        if (!hasher.verify(password, found.map(UserRecord::passwordHash).orElse(null)) || found.isEmpty()) {
            return new Result(400, Map.of("message", "Invalid Email/Password!"));
        }
        UserRecord user = found.get();
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("id", user.id().hex());
        u.put("email", user.email());
        u.put("root_id", user.rootId().hex());
        u.put("is_activated", user.activated());
        u.put("is_admin", user.admin());
        if (user.extra() != null) user.extra().fields().forEachRemaining(f -> { if (!RESERVED.contains(f.getKey())) u.put(f.getKey(), f.getValue()); });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", tokens.issue(user));
        out.put("user", u);
        return new Result(200, out);
    }

    /** Changes the password and revokes every token of the user. */
    public Result changePassword(Principal caller, JsonNode body) {
        String oldPassword = body != null && body.path("old_password").isTextual() ? body.get("old_password").asText() : null;
        String newPassword = body != null && body.path("new_password").isTextual() ? body.get("new_password").asText() : null;
        Optional<UserRecord> user = store.userById(Id.of(caller.userId()));
        if (user.isEmpty() || newPassword == null || newPassword.isEmpty() || !hasher.verify(oldPassword, user.get().passwordHash())) {
            return new Result(403, Map.of("message", "Update Failed!"));
        }
        if (!store.changePassword(user.get().id(), hasher.hash(newPassword), user.get().tokenVersion())) {
            return new Result(409, Map.of("message", "The password was changed meanwhile; try again"));
        }
        tokens.revoked(user.get().id()); // this instance refuses the old tokens from now on
        return new Result(200, Map.of("message", "Successfully Updated!"));
    }

    private Result conflict() { return new Result(409, Map.of("message", "Email already registered!")); }

}
