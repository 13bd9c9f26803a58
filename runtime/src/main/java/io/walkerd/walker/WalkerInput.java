package io.walkerd.walker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.walkerd.graph.ArchetypeJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a walker from a call's body, query and path, collecting every bad field in FastAPI's 422 shape. */
final class WalkerInput {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false) // 1.5 for an int is a wrong type, not 1
            .build()
            .setVisibility(ArchetypeJson.STORAGE.getSerializationConfig().getDefaultVisibilityChecker())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private WalkerInput() {}

    /** A bad field: {@code {"type","loc":[source, field],"msg"}}. */
    static Map<String, Object> problem(String type, String source, String field, String msg) {
        return problem(type, List.of(source, field), msg);
    }

    /** A bad value: {@code {"type","loc":[source, field, ...path],"msg"}}. */
    static Map<String, Object> problem(String type, List<Object> loc, String msg) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", type);
        p.put("loc", List.copyOf(loc));
        p.put("msg", msg);
        return p;
    }

    /** The body's fields that are over the store's limits (too deep, too large), as 422 problems. */
    static List<Map<String, Object>> checkLimits(WalkerCall call, io.walkerd.store.StoreLimits limits) {
        List<Map<String, Object>> problems = new ArrayList<>();
        JsonNode body = call.body();
        if (body == null || !body.isObject()) return problems;
        body.fields().forEachRemaining(f -> {
            String p = limits.problem(f.getValue(), 1);
            if (p != null) problems.add(problem("value_error", "body", f.getKey(), "Value is " + p + " (the store's limit)"));
        });
        if (problems.isEmpty()) {
            String p = limits.problem(body);
            if (p != null) problems.add(problem("value_error", "body", "", "The input is " + p + " (the store's limit)"));
        }
        return problems;
    }

    /** Fills {@code walker}'s fields; returns the problems found (empty when the input is valid). */
    static List<Map<String, Object>> bind(WalkerType type, Walker walker, WalkerCall call) {
        List<Map<String, Object>> problems = new ArrayList<>();
        JsonNode body = call.body();
        if (body != null && !body.isNull() && !body.isObject()) {
            problems.add(problem("model_attributes_type", "body", "", "Input should be a valid dictionary or object"));
            return problems;
        }
        var queryFields = type.queryFields();
        var pathFields = type.pathFields();
        for (WalkerType.InputField f : type.fields()) {
            String source;
            JsonNode value;
            if (pathFields.contains(f.name())) {
                source = "path";
                String raw = call.path().get(f.name());
                value = raw == null ? null : scalar(f, raw);
            } else if (queryFields.contains(f.name())) {
                source = "query";
                String raw = call.query().get(f.name());
                value = raw == null ? null : scalar(f, raw);
            } else {
                source = "body";
                value = body == null ? null : body.get(f.name());
            }
            if (value == null || value.isMissingNode()) {
                if (f.required()) problems.add(problem("missing", source, f.name(), "Field required"));
                continue;
            }
            try {
                Object converted = STRICT.convertValue(value, STRICT.constructType(f.field().getGenericType()));
                f.field().set(walker, converted);
            } catch (IllegalArgumentException e) {
                problems.add(TypeMessages.problem(source, f, e));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return problems;
    }

    /** Query and path values are text; numbers, booleans and JSON read as such unless the field is a string. */
    private static JsonNode scalar(WalkerType.InputField f, String raw) {
        if (f.field().getType() == String.class || f.field().getType() == char.class || f.field().getType() == Character.class) {
            return TextNode.valueOf(raw);
        }
        try {
            return STRICT.readTree(raw);
        } catch (Exception e) {
            return TextNode.valueOf(raw);
        }
    }
}
