package io.walkerd.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walkerd.walker.WalkerResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The frames the server itself writes: the connection event and the two error shapes (protocol.md section 5). */
final class Replies {
    private final ObjectMapper json;

    Replies(ObjectMapper json) { this.json = json; }

    /** {@code {"type":"connection","data":{"client_id","root_id","channel_id"}}} */
    String connection(Client c) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("client_id", c.id());
        data.put("root_id", c.rootRef());
        data.put("channel_id", c.channel());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "connection");
        event.put("data", data);
        return write(event);
    }

    /** A frame the server could not accept: {@code {"error":[{"type","loc","msg"}, ...]}}, one entry per problem. */
    String invalid(List<Problem> problems) {
        return write(Map.of("error", problems.stream().map(Problem::toMap).toList()));
    }

    /**
     * A walker event that failed: {@code {"type":"walker","error":"<message>","status":<http status>}}, plus the
     * field list as {@code "detail"} when the input was invalid (422).
     */
    String walkerFailed(WalkerResponse r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "walker");
        m.put("error", r.error());
        m.put("status", r.status());
        if (r.body() instanceof Map<?, ?> body && body.get("detail") != null) m.put("detail", body.get("detail"));
        if (r.body() instanceof Map<?, ?> body && body.get("error_id") != null) m.put("error_id", body.get("error_id"));
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

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type);
            m.put("loc", loc);
            m.put("msg", msg);
            return m;
        }
    }
}
