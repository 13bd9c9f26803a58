package io.walkerd.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.walkerd.walker.UploadFile;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * JSON schemas of Java types as walker input binds them (public fields, enums by name). Object types become named
 * schemas in {@code components.schemas}, referenced by {@code $ref}, so that recursive types stay finite.
 */
final class JsonSchemas {
    /** {type, format} of the scalar types; a null format is left out. */
    private static final Map<Class<?>, String[]> SCALARS = new HashMap<>();

    static {
        for (Class<?> c : new Class<?>[] {boolean.class, Boolean.class}) SCALARS.put(c, new String[] {"boolean", null});
        for (Class<?> c : new Class<?>[] {byte.class, Byte.class, short.class, Short.class, int.class, Integer.class}) {
            SCALARS.put(c, new String[] {"integer", "int32"});
        }
        for (Class<?> c : new Class<?>[] {long.class, Long.class}) SCALARS.put(c, new String[] {"integer", "int64"});
        for (Class<?> c : new Class<?>[] {float.class, Float.class}) SCALARS.put(c, new String[] {"number", "float"});
        for (Class<?> c : new Class<?>[] {double.class, Double.class}) SCALARS.put(c, new String[] {"number", "double"});
        SCALARS.put(BigInteger.class, new String[] {"integer", null});
        SCALARS.put(BigDecimal.class, new String[] {"number", null});
        SCALARS.put(String.class, new String[] {"string", null});
        SCALARS.put(CharSequence.class, new String[] {"string", null});
        SCALARS.put(byte[].class, new String[] {"string", "byte"}); // Jackson reads byte[] as base64 text
        SCALARS.put(UploadFile.class, new String[] {"string", "binary"}); // a part of a multipart/form-data body
        SCALARS.put(java.time.Instant.class, new String[] {"string", "date-time"});
        SCALARS.put(java.time.OffsetDateTime.class, new String[] {"string", "date-time"});
        SCALARS.put(java.time.ZonedDateTime.class, new String[] {"string", "date-time"});
        SCALARS.put(java.time.LocalDateTime.class, new String[] {"string", null});
        SCALARS.put(java.time.LocalDate.class, new String[] {"string", "date"});
        SCALARS.put(java.time.LocalTime.class, new String[] {"string", null});
        SCALARS.put(java.time.Duration.class, new String[] {"string", "duration"});
        SCALARS.put(java.util.UUID.class, new String[] {"string", "uuid"});
    }

    private final ObjectMapper json;
    private final ObjectNode components;
    private final Map<Class<?>, String> names = new HashMap<>();

    /** {@code components} is the document's {@code components.schemas}, where object types are added. */
    JsonSchemas(ObjectMapper json, ObjectNode components) {
        this.json = json;
        this.components = components;
    }

    /** {@code UploadFile}, or a collection of them: an input read from a multipart body. */
    static boolean isFile(Type type) {
        if (type == UploadFile.class) return true;
        return type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw && Collection.class.isAssignableFrom(raw)
                && p.getActualTypeArguments().length == 1 && p.getActualTypeArguments()[0] == UploadFile.class;
    }

    ObjectNode of(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] args = p.getActualTypeArguments();
            // Optional<T> is T or null
            if (raw == java.util.Optional.class && args.length == 1) return of(args[0]);
            if (Collection.class.isAssignableFrom(raw) && args.length == 1) return array(raw, args[0]);
            if (Map.class.isAssignableFrom(raw) && args.length == 2) return map(args[1]);
            return of(raw);
        }
        if (type instanceof GenericArrayType g) return array(Object[].class, g.getGenericComponentType());
        if (type instanceof WildcardType w) return of(w.getUpperBounds()[0]);
        if (!(type instanceof Class<?> c)) return json.createObjectNode(); // a type variable: anything
        String[] scalar = SCALARS.get(c);
        if (scalar != null) {
            ObjectNode s = json.createObjectNode().put("type", scalar[0]);
            if (scalar[1] != null) s.put("format", scalar[1]);
            return s;
        }
        if (c == char.class || c == Character.class) return json.createObjectNode().put("type", "string").put("minLength", 1).put("maxLength", 1);
        if (c.isEnum()) {
            ObjectNode s = json.createObjectNode().put("type", "string");
            for (Object constant : c.getEnumConstants()) s.withArray("enum").add(((Enum<?>) constant).name());
            return s;
        }
        if (c.isArray()) return array(c, c.getComponentType());
        if (Collection.class.isAssignableFrom(c)) return array(c, Object.class);
        if (Map.class.isAssignableFrom(c)) return map(Object.class);
        if (c == Object.class || JsonNode.class.isAssignableFrom(c)) return json.createObjectNode();
        return json.createObjectNode().put("$ref", "#/components/schemas/" + named(c));
    }

    /** A field's default when it is plain JSON (scalars, enums, and lists or string-keyed maps of those); else null. */
    JsonNode defaultOf(Object value) {
        if (value instanceof Enum<?> e) return TextNode.valueOf(e.name());
        if (value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Character) {
            return json.valueToTree(value);
        }
        if (value instanceof Collection<?> c && c.stream().allMatch(v -> defaultOf(v) != null)) return json.valueToTree(c);
        if (value instanceof Map<?, ?> m && m.keySet().stream().allMatch(k -> k instanceof String)
                && m.values().stream().allMatch(v -> defaultOf(v) != null)) {
            return json.valueToTree(m);
        }
        return null;
    }

    private ObjectNode array(Class<?> container, Type item) {
        ObjectNode s = json.createObjectNode().put("type", "array");
        s.set("items", of(item));
        if (Set.class.isAssignableFrom(container)) s.put("uniqueItems", true);
        return s;
    }

    private ObjectNode map(Type value) {
        ObjectNode s = json.createObjectNode().put("type", "object");
        s.set("additionalProperties", of(value));
        return s;
    }

    /** Adds the object schema of {@code c} to the components once and returns its name. */
    private String named(Class<?> c) {
        String known = names.get(c);
        if (known != null) return known;
        String simple = c.getSimpleName();
        boolean taken = simple.isEmpty() || components.has(simple) || names.containsValue(simple);
        String name = taken ? c.getName().replace('$', '.') : simple;
        names.put(c, name); // before the fields, so that a field of the same type refers back instead of recursing
        ObjectNode s = json.createObjectNode().put("type", "object");
        ObjectNode properties = s.putObject("properties");
        if (c.isRecord()) {
            for (var component : c.getRecordComponents()) properties.set(component.getName(), of(component.getGenericType()));
        }
        for (Class<?> k = c; k != null && k != Object.class && !c.isRecord(); k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (Modifier.isPublic(mod) && !Modifier.isStatic(mod) && !Modifier.isTransient(mod) && !properties.has(f.getName())) {
                    properties.set(f.getName(), of(f.getGenericType()));
                }
            }
        }
        components.set(name, s);
        return name;
    }
}
