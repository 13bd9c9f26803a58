package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Protocol 2's {@code request_id}: any client event may carry one (a string of 1 to 64 characters), and every reply
 * to that event carries it back at the top level; deliveries never do. A frame with an invalid one is refused whole.
 */
final class RequestIds {
    static final int MAX_LENGTH = 64;

    private RequestIds() {}

    /** A frame's request id (null when it has none), or the reason it is not one. */
    record Read(String id, Replies.Problem problem) {}

    static Read of(JsonNode frame) {
        JsonNode v = frame == null ? null : frame.get("request_id");
        if (v == null || v.isNull()) return new Read(null, null);
        if (!v.isTextual()) return new Read(null, Replies.Problem.of("string_type", "request_id", "Input should be a valid string"));
        String id = v.asText();
        if (id.isEmpty()) return new Read(null, Replies.Problem.of("string_too_short", "request_id", "String should have at least 1 character"));
        if (id.length() > MAX_LENGTH) {
            return new Read(null, Replies.Problem.of("string_too_long", "request_id", "String should have at most " + MAX_LENGTH + " characters"));
        }
        return new Read(id, null);
    }
}
