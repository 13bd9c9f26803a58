package io.walkerd.auth;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * PBKDF2-HMAC-SHA512 in passlib's {@code $pbkdf2-sha512$<rounds>$<salt>$<hash>} form (adapted base64: {@code +}
 * written as {@code .}, no padding), so that users of an existing jac-cloud database keep their passwords.
 */
public final class PasswordHasher {
    private static final String PREFIX = "$pbkdf2-sha512$";
    private final int rounds;
    private final SecureRandom random = new SecureRandom();
    /** A hash of a password nobody knows: checked when there is no stored hash, so that costs what a wrong password costs. */
    private final String decoy;

    public PasswordHasher() { this(25000); }

    public PasswordHasher(int rounds) {
        this.rounds = rounds;
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.decoy = hash(ab64(secret));
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return PREFIX + rounds + "$" + ab64(salt) + "$" + ab64(derive(password, salt, rounds, 64));
    }

    /**
     * True when {@code password} matches {@code stored}; false for any malformed hash. With no stored hash (no such
     * user) it spends the time of a real check before it answers false, so that a login does not tell by its speed
     * whether an email is registered.
     */
    public boolean verify(String password, String stored) {
        if (password != null && stored == null) {
            verify(password, decoy);
            return false;
        }
        if (password == null || stored == null || !stored.startsWith(PREFIX)) return false;
        String[] parts = stored.substring(PREFIX.length()).split("\\$");
        if (parts.length != 3) return false;
        try {
            int r = Integer.parseInt(parts[0]);
            byte[] salt = fromAb64(parts[1]);
            byte[] expected = fromAb64(parts[2]);
            if (r < 1 || expected.length == 0) return false;
            return MessageDigest.isEqual(expected, derive(password, salt, r, expected.length));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] derive(String password, byte[] salt, int rounds, int bytes) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, rounds, bytes * 8);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 is not available", e);
        }
    }

    static String ab64(byte[] b) { return Base64.getEncoder().withoutPadding().encodeToString(b).replace('+', '.'); }

    static byte[] fromAb64(String s) { return Base64.getDecoder().decode(s.replace('.', '+')); }
}
