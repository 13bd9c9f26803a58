package io.walkerd.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;

/** Request bodies that must be a JSON object (the user and webhook routes): read, or answered with a 422. */
final class JsonBodies {
    private JsonBodies() {}

    /** The body as an object (an empty body is {@code {}}); null once a 422 saying what is wrong has been sent. */
    static JsonNode object(Context ctx, ObjectMapper json, String notAnObject) {
        JsonNode body;
        try {
            body = ctx.body().isBlank() ? json.createObjectNode() : json.readTree(ctx.body());
        } catch (Exception e) {
            ctx.status(422).json(Map.of("detail", List.of(Map.of("type", "json_invalid", "loc", List.of("body"), "msg", "JSON decode error"))));
            return null;
        }
        if (!body.isObject()) {
            ctx.status(422).json(Map.of("detail", List.of(Map.of("type", "model_attributes_type", "loc", List.of("body"), "msg", notAnObject))));
            return null;
        }
        return body;
    }
}
