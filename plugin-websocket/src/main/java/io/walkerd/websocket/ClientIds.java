package io.walkerd.websocket;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Client ids and generated channel ids: {@code <unix seconds>:<32 hex>}, as jac-cloud makes them. */
final class ClientIds {
    /**
     * One generator per thread, a DRBG of its own: {@code UUID.randomUUID()}'s shared one, and then the default
     * NativePRNG (whose instances share one mixing generator and its lock), serialised a burst of connects.
     */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(ClientIds::generator);

    private ClientIds() {}

    private static SecureRandom generator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    static String next() {
        byte[] b = new byte[16];
        RANDOM.get().nextBytes(b);
        return (System.currentTimeMillis() / 1000) + ":" + HexFormat.of().formatHex(b);
    }
}
