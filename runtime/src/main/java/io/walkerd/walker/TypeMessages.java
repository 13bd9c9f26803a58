package io.walkerd.walker;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The 422 entry for an input value of the wrong type, in words a client can act on: where it is (the field, then
 * the path inside it, as FastAPI's {@code loc}) and what was expected ("a valid integer", "one of LOW, MEDIUM,
 * HIGH"), never the Java or Jackson type names the binder's exception carries.
 */
final class TypeMessages {
    /** Text that names code rather than a value: a qualified type name, an exception, a library. */
    private static final Pattern CODE = Pattern.compile("(?i)\\b(?:[a-z_][a-z0-9_]*\\.){2,}[a-z_]|exception|jackson|mongodb|`");

    private TypeMessages() {}

    static Map<String, Object> problem(String source, WalkerType.InputField field, IllegalArgumentException e) {
        List<Object> loc = new ArrayList<>(List.of(source, field.name()));
        Type expected = field.field().getGenericType();
        Throwable cause = e.getCause() instanceof JsonMappingException ? e.getCause() : e;
        if (cause instanceof JsonMappingException m) {
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) loc.add(r.getFieldName());
                else if (r.getIndex() >= 0) loc.add(r.getIndex());
            }
            Class<?> leaf = m instanceof MismatchedInputException f ? f.getTargetType()
                    : m instanceof ValueInstantiationException f ? f.getType().getRawClass() : null;
            if (loc.size() > 2) expected = leaf; // inside the field: what that part should have been
        }
        String reason = ownReason(cause);
        String msg = reason != null ? "Input is not valid: " + reason : "Input should be " + expectation(rawType(expected), expected);
        return WalkerInput.problem("type_error", loc, msg);
    }

    /** What a value of this type looks like, in words. */
    static String expectation(Class<?> type, Type generic) {
        if (type == null) return "a valid value";
        if (type == String.class || type == char.class || type == Character.class) return "a valid string";
        if (type == boolean.class || type == Boolean.class) return "a valid boolean";
        if (type == int.class || type == long.class || type == short.class || type == byte.class || type == Integer.class
                || type == Long.class || type == Short.class || type == Byte.class || type == BigInteger.class) return "a valid integer";
        if (type == double.class || type == float.class || type == Double.class || type == Float.class
                || type == BigDecimal.class || type == Number.class) return "a valid number";
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            Type element = generic instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : type.getComponentType();
            Class<?> raw = rawType(element);
            return raw == null || raw == Object.class ? "a valid list" : "a valid list of " + plural(expectation(raw, element));
        }
        if (Map.class.isAssignableFrom(type)) return "a valid dictionary";
        return "a valid object";
    }

    /**
     * The message of an exception that the application's own code threw while reading the value (an enum's creator
     * saying which values it takes), when it reads as words; null otherwise.
     */
    private static String ownReason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root == failure || root instanceof JsonMappingException || root.getClass().getName().startsWith("com.fasterxml.")) return null;
        String m = root.getMessage();
        if (m == null || m.isBlank() || CODE.matcher(m).find()) return null;
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String plural(String expectation) {
        String s = expectation.startsWith("a valid ") ? expectation.substring("a valid ".length()) : expectation;
        if (s.startsWith("one of ")) return "values " + s;
        if (s.startsWith("list")) return "lists" + s.substring(4);
        if (s.endsWith("y")) return s.substring(0, s.length() - 1) + "ies";
        return s + "s";
    }

    private static Class<?> rawType(Type t) {
        if (t instanceof Class<?> c) return c;
        if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) return c;
        return null;
    }
}
