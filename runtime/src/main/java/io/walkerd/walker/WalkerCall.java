package io.walkerd.walker;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.auth.Principal;

import java.util.Map;

/**
 * A request to run a walker, from any transport.
 *
 * @param walker     the walker's name
 * @param method     lower-case HTTP method or {@code "websocket"}
 * @param caller     who calls (never null: {@link Principal#PUBLIC} when unauthenticated)
 * @param node       ref id of the node to spawn on, or null for the caller's root
 * @param body       the JSON body / event context, or null
 * @param query      query-string values
 * @param path       values of the specs' path variables
 * @param attributes per-call values for plugins, keyed by type
 */
public record WalkerCall(String walker, String method, Principal caller, String node, JsonNode body,
                         Map<String, String> query, Map<String, String> path, Map<Class<?>, Object> attributes) {

    public static WalkerCall of(String walker, String method, Principal caller, String node, JsonNode body) {
        return new WalkerCall(walker, method, caller, node, body, Map.of(), Map.of(), Map.of());
    }
}
