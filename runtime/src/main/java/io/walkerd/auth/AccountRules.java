package io.walkerd.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.server.Config;
import io.walkerd.server.InsecureSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a new account must look like: an email of plain syntax (a dot-atom local part, a domain of letters, digits
 * and hyphens with a top-level name of letters) and a password of at least {@code PASSWORD_MIN_LENGTH} characters.
 * Problems come in FastAPI's 422 shape, one entry per field.
 */
public final class AccountRules {
    public static final int DEFAULT_PASSWORD_MIN_LENGTH = 8;
    private static final String ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern EMAIL = Pattern.compile(
            "(?<local>" + ATOM + "(?:\\." + ATOM + ")*)@(?<domain>(?:" + LABEL + "\\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59}))");

    private final int passwordMinLength;

    public AccountRules(int passwordMinLength) {
        if (passwordMinLength < 1) throw new IllegalArgumentException("PASSWORD_MIN_LENGTH must be at least 1");
        this.passwordMinLength = passwordMinLength;
    }

    /** From {@code PASSWORD_MIN_LENGTH} (default 8). */
    public static AccountRules from(Config config, InsecureSettings insecure) {
        int min = config.getInt("PASSWORD_MIN_LENGTH", DEFAULT_PASSWORD_MIN_LENGTH);
        AccountRules rules = new AccountRules(min);
        if (min < DEFAULT_PASSWORD_MIN_LENGTH) {
            insecure.add("PASSWORD_MIN_LENGTH=" + min, "passwords shorter than " + DEFAULT_PASSWORD_MIN_LENGTH + " characters are accepted");
        }
        return rules;
    }

    public int passwordMinLength() { return passwordMinLength; }

    /** The problems of a registration body ({@code email}, {@code password}); empty when it may be registered. */
    public List<Map<String, Object>> registration(JsonNode body) {
        List<Map<String, Object>> problems = new ArrayList<>();
        String email = text(body, "email", problems);
        if (email != null && !validEmail(email)) {
            problems.add(problem("value_error", "email", "value is not a valid email address: expected name@example.com, "
                    + "with letters, digits and !#$%&'*+/=?^_`{|}~.- before the @ and a domain name after it"));
        }
        String password = text(body, "password", problems);
        if (password != null) checkPassword("password", password, problems);
        return problems;
    }

    /** The problems of the new password of a {@code change_password} body; empty when it is long enough or absent. */
    public List<Map<String, Object>> newPassword(JsonNode body) {
        List<Map<String, Object>> problems = new ArrayList<>();
        JsonNode v = body == null ? null : body.get("new_password");
        if (v != null && v.isTextual()) checkPassword("new_password", v.asText(), problems);
        return problems;
    }

    public static boolean validEmail(String email) {
        if (email.length() > 254) return false;
        var m = EMAIL.matcher(email);
        return m.matches() && m.group("local").length() <= 64;
    }

    private void checkPassword(String field, String password, List<Map<String, Object>> problems) {
        if (password.codePointCount(0, password.length()) < passwordMinLength) {
            problems.add(problem("string_too_short", field, "String should have at least " + passwordMinLength + " characters"));
        }
    }

    /** A required non-empty text field of a request body; null (and a problem) when it is not one. */
    static String text(JsonNode body, String field, List<Map<String, Object>> problems) {
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

    /** A bad body field in FastAPI's 422 shape. */
    static Map<String, Object> problem(String type, String field, String msg) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", type);
        p.put("loc", List.of("body", field));
        p.put("msg", msg);
        return p;
    }
}
