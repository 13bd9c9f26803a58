package io.walkerd.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.walkerd.graph.Id;
import io.walkerd.store.Store;
import io.walkerd.store.UserRecord;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues and checks JWTs. A token carries the user's {@code token_version}; bumping the version in the user's
 * document (change_password) revokes every earlier token: at once on the instance that changed it, within
 * {@link #TRUSTED_MS} on every other instance sharing the store, and across restarts.
 *
 * <p>Checking a token reads the user's token version from the store, then trusts what it read for
 * {@link #TRUSTED_MS}: a user's calls within that time cost no read (the read was 17% of the samples of
 * {@code bench_node}, with a borrowed read connection each time). A token whose version differs from the one read
 * is checked against the store again, so a new token works at once. {@link #revoked} (called by change_password
 * after the store took the new version) forgets what was read, so this instance refuses the old tokens from then
 * on; another instance still knows the old version for at most {@link #TRUSTED_MS}.
 */
public final class TokenService {
    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final long timeoutHours;
    private final Store store;
    /** Token versions read from the store by user id (hex), each trusted for {@link #TRUSTED_MS} after its read. */
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    /** Counts {@link #revoked} calls: a read that a revocation overtook is not kept. */
    private final AtomicLong revocations = new AtomicLong();

    /** How long a token version read from the store is trusted (and so how late another instance may revoke). */
    public static final long TRUSTED_MS = 1_000;
    /** Past this many users remembered, those whose read is no longer trusted are forgotten. */
    private static final int KNOWN_MAX = 10_000;

    private record Known(int version, Principal principal, long readAt) {}

    /** Tokens whose signature and claims were found good, by their text (see {@link #verified}). */
    private final Map<String, Verified> checked = new ConcurrentHashMap<>();
    private static final int CHECKED_MAX = 10_000;

    private record Verified(String subject, int version, long expiresAt) {}

    public TokenService(String secret, String algorithmName, long timeoutHours, Store store) {
        this.algorithm = switch (algorithmName.toUpperCase(Locale.ROOT)) {
            case "HS256" -> Algorithm.HMAC256(secret);
            case "HS384" -> Algorithm.HMAC384(secret);
            case "HS512" -> Algorithm.HMAC512(secret);
            default -> throw new IllegalArgumentException("TOKEN_ALGORITHM must be HS256, HS384 or HS512, got " + algorithmName);
        };
        this.verifier = JWT.require(algorithm).withClaimPresence("sub").withClaimPresence("ver").build();
        this.timeoutHours = timeoutHours;
        this.store = store;
    }

    public String issue(UserRecord user) {
        Instant now = Instant.now();
        return JWT.create()
                .withSubject(user.id().hex())
                .withClaim("email", user.email())
                .withClaim("root_id", user.rootId().hex())
                .withClaim("ver", user.tokenVersion())
                .withIssuedAt(now)
                .withExpiresAt(now.plus(timeoutHours, ChronoUnit.HOURS))
                .sign(algorithm);
    }

    /**
     * The caller a token (bare, or as an {@code Authorization} value with the {@code Bearer} scheme) belongs to;
     * empty when the token is missing, malformed, badly signed, expired or revoked.
     */
    public Optional<Principal> authenticate(String tokenOrHeader) {
        String token = strip(tokenOrHeader);
        if (token == null) return Optional.empty();
        Verified v = verified(token);
        if (v == null) return Optional.empty();
        String subject = v.subject;
        int version = v.version;
        long now = System.nanoTime();
        Known k = known.get(subject);
        if (k != null && k.version == version && now - k.readAt < TimeUnit.MILLISECONDS.toNanos(TRUSTED_MS)) {
            return Optional.of(k.principal);
        }
        long generation = revocations.get();
        Optional<UserRecord> user = store.userById(Id.of(subject));
        if (user.isEmpty()) {
            known.remove(subject);
            return Optional.empty();
        }
        UserRecord u = user.get();
        Known read = new Known(u.tokenVersion(), new Principal(u.id().hex(), u.email(), u.rootId()), now);
        known.put(subject, read);
        // a revocation since the read began: what was read may be the old version, so it is not kept
        if (revocations.get() != generation) known.remove(subject, read);
        if (known.size() > KNOWN_MAX) forgetUntrusted(now);
        return u.tokenVersion() == version ? Optional.of(read.principal) : Optional.empty();
    }

    /**
     * The subject and version of a token whose signature and claims are good, and that has not expired; null
     * otherwise. A token checked before is known by its exact text (the same text carries the same signature), so
     * a client's next calls cost a lookup and an expiry check, not a signature and a JSON parse again.
     */
    private Verified verified(String token) {
        Verified v = checked.get(token);
        if (v != null) return System.currentTimeMillis() < v.expiresAt ? v : null;
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (JWTVerificationException e) {
            return null;
        }
        String subject = jwt.getSubject();
        Integer version = jwt.getClaim("ver").asInt();
        if (!Id.isValid(subject) || version == null) return null;
        long expiresAt = jwt.getExpiresAt() == null ? Long.MAX_VALUE : jwt.getExpiresAt().getTime();
        v = new Verified(subject, version, expiresAt);
        if (checked.size() >= CHECKED_MAX) checked.clear(); // many tokens in use: start again
        checked.put(token, v);
        return v;
    }

    /**
     * The user's token version changed in the store (change_password): forget what was read, so that this instance
     * checks the next token against the store. Call it after the store has the new version.
     */
    public void revoked(Id userId) {
        revocations.incrementAndGet();
        known.remove(userId.hex());
    }

    private void forgetUntrusted(long now) {
        long trusted = TimeUnit.MILLISECONDS.toNanos(TRUSTED_MS);
        known.values().removeIf(k -> now - k.readAt >= trusted);
    }

    private static String strip(String value) {
        if (value == null) return null;
        String v = value.trim();
        if (v.regionMatches(true, 0, "Bearer ", 0, 7)) v = v.substring(7).trim();
        return v.isEmpty() ? null : v;
    }
}
