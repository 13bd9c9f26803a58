package io.walkerd.walker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.walkerd.graph.ArchetypeJson;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a walker from a call's body, query, path and files, collecting every bad field in FastAPI's 422 shape. */
final class WalkerInput {
    private final ObjectMapper strict;

    /** Reads input with the server's storage mapper (its modules), but strictly: no coercion of scalars. */
    WalkerInput(ArchetypeJson json) {
        this.strict = json.storage().copy()
                .configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false) // 1.5 for an int is a wrong type, not 1
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

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
    List<Map<String, Object>> bind(WalkerType type, Walker walker, WalkerCall call) {
        List<Map<String, Object>> problems = new ArrayList<>();
        JsonNode body = call.body();
        if (body != null && !body.isNull() && !body.isObject()) {
            problems.add(problem("model_attributes_type", "body", "", "Input should be a valid dictionary or object"));
            return problems;
        }
        Multipart multipart = (Multipart) call.attributes().get(Multipart.class);
        var queryFields = type.queryFields();
        var pathFields = type.pathFields();
        for (WalkerType.InputField f : type.fields()) {
            if (isFile(f.field())) {
                bindFile(f, walker, multipart, body, problems);
                continue;
            }
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
                if (value == null && multipart != null && multipart.fields().containsKey(f.name())) {
                    value = scalar(f, multipart.fields().get(f.name()));
                }
            }
            set(f, walker, source, value, problems);
        }
        return problems;
    }

    /** Fills {@code walker}'s fields from one JSON object (a task's stored input); files are left as they are. */
    List<Map<String, Object>> bindAll(WalkerType type, Walker walker, ObjectNode fields) {
        List<Map<String, Object>> problems = new ArrayList<>();
        for (WalkerType.InputField f : type.fields()) {
            if (isFile(f.field())) continue;
            JsonNode value = fields == null ? null : fields.get(f.name());
            set(f, walker, "body", value, problems);
        }
        return problems;
    }

    private void set(WalkerType.InputField f, Walker walker, String source, JsonNode value, List<Map<String, Object>> problems) {
        if (value == null || value.isMissingNode()) {
            if (f.required()) problems.add(problem("missing", source, f.name(), "Field required"));
            return;
        }
        try {
            Object converted = strict.convertValue(value, strict.constructType(f.field().getGenericType()));
            f.field().set(walker, converted);
        } catch (IllegalArgumentException e) {
            problems.add(TypeMessages.problem(source, f, e));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bindFile(WalkerType.InputField f, Walker walker, Multipart multipart, JsonNode body,
                                 List<Map<String, Object>> problems) {
        List<UploadFile> files = multipart == null ? null : multipart.files().get(f.name());
        if (files == null || files.isEmpty()) {
            if (body != null && body.has(f.name()) && !body.get(f.name()).isNull()) {
                problems.add(problem("value_error", "body", f.name(),
                        "Expected UploadFile, received: " + body.get(f.name()).getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                                + " (send files as multipart/form-data)"));
            } else if (f.required()) {
                problems.add(problem("missing", "body", f.name(), "Field required"));
            }
            return;
        }
        try {
            if (f.field().getType() == UploadFile.class) {
                if (files.size() > 1) {
                    problems.add(problem("value_error", "body", f.name(), "Expected one file, received " + files.size()));
                    return;
                }
                f.field().set(walker, files.get(0));
            } else {
                f.field().set(walker, new ArrayList<>(files));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code UploadFile}, or a list or collection of them. */
    static boolean isFile(Field field) {
        if (field.getType() == UploadFile.class) return true;
        if (!Collection.class.isAssignableFrom(field.getType())) return false;
        Type generic = field.getGenericType();
        return generic instanceof ParameterizedType p && p.getActualTypeArguments().length == 1
                && p.getActualTypeArguments()[0] == UploadFile.class;
    }

    /** Query and path values are text; numbers, booleans and JSON read as such unless the field is a string. */
    JsonNode scalar(WalkerType.InputField f, String raw) {
        Class<?> t = f.field().getType();
        if (t == String.class || t == char.class || t == Character.class || isTextual(t)) {
            return TextNode.valueOf(raw);
        }
        try {
            return strict.readTree(raw);
        } catch (Exception e) {
            return TextNode.valueOf(raw);
        }
    }

    /** Types whose JSON form is text (dates, times): a query value of theirs is read as text, not parsed. */
    private static boolean isTextual(Class<?> t) {
        return t.getName().startsWith("java.time.") || t == java.util.UUID.class;
    }

    /** Jackson's message, first line, with Java class names cut to their simple names (no internals in replies). */
    static String firstLine(String s) {
        if (s == null) return "invalid value";
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        int at = line.indexOf(" (through reference chain");
        line = at < 0 ? line : line.substring(0, at);
        return QUALIFIED.matcher(line).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(2)));
    }

    /** {@code io.walkerd.app.Task$Step} and the like: package and enclosing classes, then the simple name. */
    private static final java.util.regex.Pattern QUALIFIED =
            java.util.regex.Pattern.compile("\\b([a-z][\\w]*\\.)+(?:[A-Z][\\w]*\\$)*([A-Z][\\w]*)");
}
