package io.walkerd.websocket;

import java.util.UUID;

/** Client ids and generated channel ids: {@code <unix seconds>:<32 hex>}, as jac-cloud makes them. */
final class ClientIds {
    private ClientIds() {}

    static String next() {
        return (System.currentTimeMillis() / 1000) + ":" + UUID.randomUUID().toString().replace("-", "");
    }
}
