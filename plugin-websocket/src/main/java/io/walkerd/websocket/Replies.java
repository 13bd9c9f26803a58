package io.walkerd.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.walker.WalkerResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frames the server itself writes: the connection event, the two error shapes (protocol.md section 5), and
 * protocol 2's replies. Each reply to an event that carried a {@code request_id} carries it back, last; without one,
 * a reply is exactly what it was before protocol 2.
 */
final class Replies {
    private final ObjectMapper json;

    Replies(ObjectMapper json) { this.json = json; }

    /** {@code {"type":"connection","data":{"client_id","root_id","channel_id"}}} */
    String connection(Client c) { return connection(c, null); }

    String connection(Client c, String requestId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("client_id", c.id());
        data.put("root_id", c.rootRef());
        data.put("channel_id", c.channel());
        return event("connection", data, requestId);
    }

    /** A frame the server could not accept: {@code {"error":[{"type","loc","msg"}, ...]}}, one entry per problem. */
    String invalid(List<Problem> problems) { return invalid(problems, null); }

    String invalid(List<Problem> problems, String requestId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", problems.stream().map(Problem::toMap).toList());
        if (requestId != null) m.put("request_id", requestId);
        return write(m);
    }

    /** {@code {"type":<type>,"data":<data>}}: the connection event and protocol 2's replies. */
    String event(String type, Object data, String requestId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("data", data);
        if (requestId != null) event.put("request_id", requestId);
        return write(event);
    }

    /**
     * A walker's response body; with a request id, the id is added to the body, or, when a walker replaced its body
     * by something that is not an object, the reply is {@code {"body": <it>, "request_id": <id>}}.
     */
    String response(Object body, String requestId) {
        if (requestId == null) return write(body);
        JsonNode tree = json.valueToTree(body);
        ObjectNode reply;
        if (tree instanceof ObjectNode o) {
            reply = o;
        } else {
            reply = json.createObjectNode();
            reply.set("body", tree);
        }
        reply.put("request_id", requestId);
        return write(reply);
    }

    /**
     * A walker event that failed: {@code {"type":"walker","error":"<message>","status":<http status>}}, plus the
     * field list as {@code "detail"} when the input was invalid (422).
     */
    String walkerFailed(WalkerResponse r, String requestId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "walker");
        m.put("error", r.error());
        m.put("status", r.status());
        if (r.body() instanceof Map<?, ?> body && body.get("detail") != null) m.put("detail", body.get("detail"));
        if (r.body() instanceof Map<?, ?> body && body.get("error_id") != null) m.put("error_id", body.get("error_id"));
        if (requestId != null) m.put("request_id", requestId);
        return write(m);
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a reply: " + e.getOriginalMessage(), e);
        }
    }

    /** One reason a frame was refused, shaped like jac-cloud's (pydantic's) validation errors. */
    record Problem(String type, List<Object> loc, String msg) {
        static Problem of(String type, String field, String msg) {
            return new Problem(type, field == null ? List.of() : List.of(field), msg);
        }

        static Problem at(String type, String msg, Object... loc) { return new Problem(type, List.of(loc), msg); }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type);
            m.put("loc", loc);
            m.put("msg", msg);
            return m;
        }
    }
}
