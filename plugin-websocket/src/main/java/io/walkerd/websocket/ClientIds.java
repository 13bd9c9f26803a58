package io.walkerd.websocket;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Client ids and generated channel ids: {@code <unix seconds>:<32 hex>}, as jac-cloud makes them. */
final class ClientIds {
    /** One generator per thread: {@code UUID.randomUUID()}'s shared one serialised a burst of connects on its lock. */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    private ClientIds() {}

    static String next() {
        byte[] b = new byte[16];
        RANDOM.get().nextBytes(b);
        return (System.currentTimeMillis() / 1000) + ":" + HexFormat.of().formatHex(b);
    }
}
