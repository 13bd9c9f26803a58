package io.walkerd.auth;

import io.walkerd.graph.Id;
import io.walkerd.server.Config;
import io.walkerd.server.InsecureSettings;
import io.walkerd.store.Store;
import io.walkerd.store.UserRecord;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may use the server's admin pages: the holder of {@code ADMIN_TOKEN} (a bearer token of its own, at least
 * {@value #TOKEN_MIN_LENGTH} characters, compared in constant time), or a user whose stored document says
 * {@code is_admin}. The flag is read from the store at each check, so granting or revoking takes effect at once,
 * on every instance, without new tokens.
 */
public final class AdminAccess {
    /** Shortest {@code ADMIN_TOKEN} accepted, as for {@code TOKEN_SECRET}: it is guessed offline otherwise. */
    public static final int TOKEN_MIN_LENGTH = Config.TOKEN_SECRET_MIN_LENGTH;

    /** The outcome of a check: allowed (by which credential), refused (403), or no valid credential at all (401). */
    public enum Verdict {
        ADMIN_TOKEN, ADMIN_USER, NOT_ADMIN, UNAUTHENTICATED;

        public boolean allowed() { return this == ADMIN_TOKEN || this == ADMIN_USER; }
    }

    /** SHA-256 of {@code ADMIN_TOKEN}; null when unset. Digests are compared, so the time says nothing of the length. */
    private final byte[] tokenDigest;
    private final TokenService tokens;
    private final Store store;

    private AdminAccess(String adminToken, TokenService tokens, Store store) {
        this.tokenDigest = adminToken == null ? null : sha256(adminToken);
        this.tokens = tokens;
        this.store = store;
    }

    /**
     * Reads {@code ADMIN_TOKEN}; one shorter than {@value #TOKEN_MIN_LENGTH} characters refuses to start the server,
     * and a set one is named in the start-up warning: unlike an admin user's token, it never expires and cannot be
     * revoked but by a restart without it.
     */
    public static AdminAccess from(Config config, TokenService tokens, Store store, InsecureSettings insecure) {
        String token = config.get("ADMIN_TOKEN");
        if (token != null && token.length() < TOKEN_MIN_LENGTH) {
            throw new IllegalArgumentException("ADMIN_TOKEN must be at least " + TOKEN_MIN_LENGTH + " characters long (it has "
                    + token.length() + "): it is a password that never expires");
        }
        if (token != null) {
            insecure.add("ADMIN_TOKEN set", "a shared token that never expires opens the admin page and its client, user and "
                    + "channel ids; admin users (grant-admin) have tokens that expire and can be revoked");
        }
        return new AdminAccess(token, tokens, store);
    }

    /** Whether an {@code ADMIN_TOKEN} is set. */
    public boolean hasToken() { return tokenDigest != null; }

    /**
     * Checks an {@code Authorization} value ({@code Bearer <token>}, or the bare token): {@code ADMIN_TOKEN}, or the
     * token of a user marked admin.
     */
    public Verdict check(String authorization) {
        String token = bearer(authorization);
        if (token == null) return Verdict.UNAUTHENTICATED;
        if (tokenDigest != null && MessageDigest.isEqual(tokenDigest, sha256(token))) return Verdict.ADMIN_TOKEN;
        Optional<Principal> who = tokens.authenticate(token);
        if (who.isEmpty() || who.get().userId() == null) return Verdict.UNAUTHENTICATED;
        boolean admin = store.userById(Id.of(who.get().userId())).map(UserRecord::admin).orElse(false);
        return admin ? Verdict.ADMIN_USER : Verdict.NOT_ADMIN;
    }

    /**
     * Marks (or unmarks) the registered user with this email as admin, in the store; false when no user has it.
     * The user's tokens stay valid and carry the new right from their next request.
     */
    public static boolean mark(Store store, String email, boolean admin) {
        return store.markAdmin(email.trim().toLowerCase(Locale.ROOT), admin);
    }

    private static String bearer(String value) {
        if (value == null) return null;
        String v = value.trim();
        if (v.regionMatches(true, 0, "Bearer ", 0, 7)) v = v.substring(7).trim();
        return v.isEmpty() ? null : v;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
