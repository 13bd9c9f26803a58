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
import java.util.Optional;

/**
 * Issues and checks JWTs. A token carries the user's {@code token_version}; bumping the version in the user's
 * document (change_password) revokes every earlier token at once, on every instance and across restarts.
 */
public final class TokenService {
    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final long timeoutHours;
    private final Store store;

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
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (JWTVerificationException e) {
            return Optional.empty();
        }
        if (!Id.isValid(jwt.getSubject())) return Optional.empty();
        Integer version = jwt.getClaim("ver").asInt();
        return store.userById(Id.of(jwt.getSubject()))
                .filter(u -> version != null && u.tokenVersion() == version)
                .map(u -> new Principal(u.id().hex(), u.email(), u.rootId()));
    }

    private static String strip(String value) {
        if (value == null) return null;
        String v = value.trim();
        if (v.regionMatches(true, 0, "Bearer ", 0, 7)) v = v.substring(7).trim();
        return v.isEmpty() ? null : v;
    }
}
