package io.walkerd.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

import static com.mongodb.client.model.Filters.eq;

/**
 * Issues and checks JWTs. A token carries the user's {@code token_version}; bumping the version in the user's
 * document (change_password) revokes every earlier token at once, on every instance and across restarts.
 */
public final class TokenService {
    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final long timeoutHours;
    private final MongoCollection<Document> users;

    public TokenService(String secret, String algorithmName, long timeoutHours, MongoCollection<Document> users) {
        this.algorithm = switch (algorithmName.toUpperCase(Locale.ROOT)) {
            case "HS256" -> Algorithm.HMAC256(secret);
            case "HS384" -> Algorithm.HMAC384(secret);
            case "HS512" -> Algorithm.HMAC512(secret);
            default -> throw new IllegalArgumentException("TOKEN_ALGORITHM must be HS256, HS384 or HS512, got " + algorithmName);
        };
        this.verifier = JWT.require(algorithm).withClaimPresence("sub").withClaimPresence("ver").build();
        this.timeoutHours = timeoutHours;
        this.users = users;
    }

    public String issue(Document user) {
        Instant now = Instant.now();
        return JWT.create()
                .withSubject(user.getObjectId("_id").toHexString())
                .withClaim("email", user.getString("email"))
                .withClaim("root_id", user.getObjectId("root_id").toHexString())
                .withClaim("ver", user.getInteger("token_version", 0))
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
        if (!ObjectId.isValid(jwt.getSubject())) return Optional.empty();
        Document user = users.find(eq("_id", new ObjectId(jwt.getSubject())))
                .projection(new Document("email", 1).append("root_id", 1).append("token_version", 1)).first();
        if (user == null || user.getInteger("token_version", 0) != jwt.getClaim("ver").asInt()) return Optional.empty();
        return Optional.of(new Principal(user.getObjectId("_id").toHexString(), user.getString("email"), user.getObjectId("root_id")));
    }

    private static String strip(String value) {
        if (value == null) return null;
        String v = value.trim();
        if (v.regionMatches(true, 0, "Bearer ", 0, 7)) v = v.substring(7).trim();
        return v.isEmpty() ? null : v;
    }
}
