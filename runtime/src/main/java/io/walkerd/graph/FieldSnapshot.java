package io.walkerd.graph;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The values of an archetype's stored fields as they were loaded, kept so that the commit can tell an unchanged
 * archetype from a changed one by comparing values, without printing it.
 *
 * <p>An archetype's stored form is what Jackson's bean serializer writes from its properties. Where every property
 * is a public field (the usual archetype) and every value is of a kind whose printed form follows from its value
 * (text, numbers, booleans, enums, {@code java.time} values, UUIDs, records of such, nested objects written as
 * their public fields, and {@code java.util} lists, sets and maps of such), two archetypes whose fields hold equal
 * values print the same. The snapshot copies
 * the containers (a walker changes a list in place) and keeps the immutable values. Anything else (a property
 * read through a method, a value of another class, an object id) makes the type or the archetype not snapshotted:
 * then the commit prints it and compares, as before.
 *
 * <p>Comparisons are strict: containers compare in iteration order, numbers by class and value. A difference
 * that does not change the stored value (a map with its keys reordered, 1 written as 1L) only sends the commit
 * to the printing comparison, which decides.
 */
public final class FieldSnapshot {
    /** A type's stored properties as public fields; an empty array when the type cannot be snapshotted. */
    private final Map<Class<?>, Field[]> fields = new ConcurrentHashMap<>();
    private static final Field[] UNSUPPORTED = new Field[0];
    /** Records whose components are read for snapshots, by class. */
    private static final Map<Class<?>, RecordComponent[]> COMPONENTS = new ConcurrentHashMap<>();
    /** A value that cannot be snapshotted: it makes the whole snapshot absent. */
    private static final Object NOT_KEPT = new Object();
    /** Values nested deeper than this are not kept (the store refuses far less deep ones anyway). */
    private static final int MAX_DEPTH = 100;
    private final ObjectMapper mapper;
    /** How Jackson reads each type, for {@link #make}: a bean's no-arg constructor, a record's canonical one. */
    private final Map<Class<?>, Maker> makers = new ConcurrentHashMap<>();
    private final java.util.function.Predicate<Class<?>> readAsPlainBean;

    /**
     * @param mapper          the storage mapper (what archetypes are written and read with)
     * @param readAsPlainBean true when the mapper reads a type as Jackson's own bean (or record) deserializer does,
     *                        with no deserializer of a module in between
     */
    FieldSnapshot(ObjectMapper mapper, java.util.function.Predicate<Class<?>> readAsPlainBean) {
        this.mapper = mapper;
        this.readAsPlainBean = readAsPlainBean;
    }

    // ---- making archetypes from snapshots ---------------------------------------------------------------------

    /**
     * A new archetype holding the snapshot's values (every container a new copy), taken of an archetype of
     * {@code type} as Jackson read it from stored fields: the archetype Jackson would read from those fields again,
     * without reading them. Null when {@code type} (or a nested type) is not read the plain way (a no-arg constructor
     * and public fields; a record's canonical constructor) or a value cannot be made: then read the fields.
     */
    public <T> T make(Class<T> type, Object[] snapshot) {
        Field[] props = fieldsOf(type);
        Maker m = maker(type);
        if (props == UNSUPPORTED || m == null || m.record || props.length != snapshot.length) return null;
        try {
            Object made = makeBean(m, props, snapshot);
            return made == NOT_KEPT ? null : type.cast(made);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** A new bean from its no-arg constructor, its fields set to new copies of {@code items}; or NOT_KEPT. */
    private Object makeBean(Maker m, Field[] props, Object[] items) throws ReflectiveOperationException {
        Object made = m.constructor.newInstance();
        for (int i = 0; i < props.length; i++) {
            Object v = make(items[i]);
            if (v == NOT_KEPT) return NOT_KEPT;
            props[i].set(made, v);
        }
        return made;
    }

    private Object make(Object kept) throws ReflectiveOperationException {
        if (!(kept instanceof Kept k)) return kept; // null or an immutable value
        Object[] items = k.items;
        switch (k.kind) {
            case OPTIONAL -> {
                Object v = make(items[0]);
                return v == NOT_KEPT ? NOT_KEPT : Optional.ofNullable(v);
            }
            case COLLECTION -> {
                Maker m = maker(k.type);
                if (m == null || m.record) return NOT_KEPT;
                @SuppressWarnings("unchecked") Collection<Object> c = (Collection<Object>) m.constructor.newInstance();
                for (Object item : items) {
                    Object v = make(item);
                    if (v == NOT_KEPT) return NOT_KEPT;
                    c.add(v);
                }
                return c;
            }
            case MAP -> {
                Maker m = maker(k.type);
                if (m == null || m.record) return NOT_KEPT;
                @SuppressWarnings("unchecked") Map<Object, Object> c = (Map<Object, Object>) m.constructor.newInstance();
                for (int i = 0; i < items.length; i += 2) {
                    Object key = make(items[i]), value = make(items[i + 1]);
                    if (key == NOT_KEPT || value == NOT_KEPT) return NOT_KEPT;
                    c.put(key, value);
                }
                return c;
            }
            case ARRAY -> {
                Object array = Array.newInstance(k.type.getComponentType(), items.length);
                for (int i = 0; i < items.length; i++) {
                    Object v = make(items[i]);
                    if (v == NOT_KEPT) return NOT_KEPT;
                    Array.set(array, i, v);
                }
                return array;
            }
            case RECORD -> {
                Maker m = maker(k.type);
                if (m == null || !m.record) return NOT_KEPT;
                Object[] args = new Object[items.length];
                for (int i = 0; i < items.length; i++) {
                    if ((args[i] = make(items[i])) == NOT_KEPT) return NOT_KEPT;
                }
                return m.constructor.newInstance(args);
            }
            case BEAN -> {
                Maker m = maker(k.type);
                Field[] props = fieldsOf(k.type);
                if (m == null || m.record || props.length != items.length) return NOT_KEPT;
                return makeBean(m, props, items);
            }
        }
        return NOT_KEPT;
    }

    /** A type's constructor as Jackson uses it to read the type; null when it reads it otherwise. */
    private record Maker(java.lang.reflect.Constructor<?> constructor, boolean record) {}

    private static final Maker NO_MAKER = new Maker(null, false);

    private Maker maker(Class<?> type) {
        Maker m = makers.get(type);
        if (m == null) {
            m = findMaker(type);
            makers.put(type, m);
        }
        return m == NO_MAKER ? null : m;
    }

    private Maker findMaker(Class<?> type) {
        try {
            if (Modifier.isAbstract(type.getModifiers()) || type.isInterface()) return NO_MAKER;
            if (fromJavaUtil(type)) { // the collections Jackson makes: public, with a public no-arg constructor
                java.lang.reflect.Constructor<?> c = type.getConstructor();
                return Modifier.isPublic(type.getModifiers()) ? new Maker(c, false) : NO_MAKER;
            }
            if (!readAsPlainBean.test(type) || hasJacksonAnnotations(type)) return NO_MAKER;
            if (type.isRecord()) {
                Class<?>[] parts = java.util.Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
                java.lang.reflect.Constructor<?> c = type.getDeclaredConstructor(parts);
                c.setAccessible(true);
                return new Maker(c, true);
            }
            java.lang.reflect.Constructor<?> c = type.getDeclaredConstructor();
            c.setAccessible(true);
            return new Maker(c, false);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return NO_MAKER;
        }
    }

    /** Any Jackson annotation on a constructor or a method, or one on the class that may change how it is read. */
    private static boolean hasJacksonAnnotations(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Constructor<?> k : c.getDeclaredConstructors()) if (jackson(k.getAnnotations(), Set.of())) return true;
            for (java.lang.reflect.Method m : c.getDeclaredMethods()) if (jackson(m.getAnnotations(), Set.of("JsonIgnore"))) return true;
            if (jackson(c.getAnnotations(), Set.of("JsonIgnoreProperties", "JsonInclude", "JsonPropertyOrder", "JsonAutoDetect"))) return true;
            for (Field f : c.getDeclaredFields()) {
                for (java.lang.annotation.Annotation a : f.getAnnotations()) {
                    String name = a.annotationType().getSimpleName();
                    // state set while reading beyond the field's own value
                    if (name.equals("JsonAnySetter") || name.equals("JsonBackReference") || name.equals("JsonManagedReference")) return true;
                }
            }
        }
        return false;
    }

    private static boolean jackson(java.lang.annotation.Annotation[] annotations, Set<String> harmless) {
        for (java.lang.annotation.Annotation a : annotations) {
            if (a.annotationType().getName().startsWith("com.fasterxml.jackson.") && !harmless.contains(a.annotationType().getSimpleName())) return true;
        }
        return false;
    }

    /** The values of {@code archetype}'s stored fields, copied; null when they cannot be kept (then print instead). */
    public Object[] take(Archetype archetype) {
        Field[] props = fieldsOf(archetype.getClass());
        if (props == UNSUPPORTED) return null;
        Object[] out = new Object[props.length];
        try {
            for (int i = 0; i < props.length; i++) {
                Object v = copy(props[i].get(archetype), 0);
                if (v == NOT_KEPT) return null;
                out[i] = v;
            }
        } catch (IllegalAccessException e) {
            return null;
        }
        return out;
    }

    /** True when every stored field of {@code archetype} holds a value equal to the snapshot's (see the class). */
    public boolean same(Archetype archetype, Object[] snapshot) {
        Field[] props = fieldsOf(archetype.getClass());
        if (props.length != snapshot.length || props == UNSUPPORTED) return false;
        try {
            for (int i = 0; i < props.length; i++) {
                if (!same(props[i].get(archetype), snapshot[i])) return false;
            }
        } catch (IllegalAccessException e) {
            return false;
        }
        return true;
    }

    private Field[] fieldsOf(Class<?> type) {
        Field[] f = fields.get(type);
        if (f == null) {
            f = introspect(type);
            fields.put(type, f);
        }
        return f;
    }

    /** The public fields Jackson's bean serializer writes for {@code type}, in its order; UNSUPPORTED otherwise. */
    private Field[] introspect(Class<?> type) {
        JsonSerializer<Object> s;
        try {
            s = mapper.getSerializerProviderInstance().findValueSerializer(type);
        } catch (JsonMappingException | RuntimeException e) {
            return UNSUPPORTED;
        }
        if (!(s instanceof BeanSerializerBase bean) || bean.usesObjectId()) return UNSUPPORTED;
        if (hasJacksonMethods(type)) return UNSUPPORTED; // an any-getter, a @JsonGetter: state beyond the fields
        List<Field> out = new ArrayList<>();
        for (Iterator<PropertyWriter> it = bean.properties(); it.hasNext(); ) {
            PropertyWriter p = it.next();
            if (!(p instanceof BeanPropertyWriter w) || !(w.getMember() instanceof AnnotatedField af)) return UNSUPPORTED;
            Field field = af.getAnnotated();
            if (!Modifier.isPublic(field.getModifiers()) || Modifier.isStatic(field.getModifiers())
                    || !Modifier.isPublic(field.getDeclaringClass().getModifiers())) {
                return UNSUPPORTED;
            }
            try {
                field.setAccessible(true); // public already: this only spares every read the access check
            } catch (RuntimeException e) {
                return UNSUPPORTED;
            }
            out.add(field);
        }
        return out.toArray(new Field[0]);
    }

    /** Jackson's method annotations that only concern reading: they change nothing that is written. */
    private static final java.util.Set<String> READING_ONLY = java.util.Set.of("JsonCreator", "JsonSetter", "JsonAnySetter", "JsonIgnore");

    private static boolean hasJacksonMethods(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                for (java.lang.annotation.Annotation a : m.getAnnotations()) {
                    String name = a.annotationType().getName();
                    if (name.startsWith("com.fasterxml.jackson.") && !READING_ONLY.contains(a.annotationType().getSimpleName())) return true;
                }
            }
        }
        return false;
    }

    // ---- values ------------------------------------------------------------------------------------------------

    /** A kept value: the value itself when immutable, else a copy of the container; NOT_KEPT when it cannot be. */
    private Object copy(Object v, int depth) {
        if (depth > MAX_DEPTH) return NOT_KEPT;
        if (v == null || immutable(v.getClass())) return v;
        if (v instanceof Optional<?> o) {
            Object inner = copy(o.orElse(null), depth + 1);
            return inner == NOT_KEPT ? NOT_KEPT : new Kept(Kind.OPTIONAL, v.getClass(), new Object[]{inner});
        }
        if (v instanceof Collection<?> c && fromJavaUtil(v.getClass())) {
            Object[] items = new Object[c.size()];
            int i = 0;
            for (Object item : c) {
                if (i == items.length) return NOT_KEPT; // changed while copied
                Object k = copy(item, depth + 1);
                if (k == NOT_KEPT) return NOT_KEPT;
                items[i++] = k;
            }
            return i == items.length ? new Kept(Kind.COLLECTION, v.getClass(), items) : NOT_KEPT;
        }
        if (v instanceof Map<?, ?> m && fromJavaUtil(v.getClass())) {
            Object[] items = new Object[m.size() * 2];
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (i == items.length) return NOT_KEPT;
                Object key = copy(e.getKey(), depth + 1), value = copy(e.getValue(), depth + 1);
                if (key == NOT_KEPT || value == NOT_KEPT) return NOT_KEPT;
                items[i++] = key;
                items[i++] = value;
            }
            return i == items.length ? new Kept(Kind.MAP, v.getClass(), items) : NOT_KEPT;
        }
        if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            Object[] items = new Object[n];
            for (int i = 0; i < n; i++) {
                Object k = copy(Array.get(v, i), depth + 1);
                if (k == NOT_KEPT) return NOT_KEPT;
                items[i] = k;
            }
            return new Kept(Kind.ARRAY, v.getClass(), items);
        }
        if (v.getClass().isRecord()) {
            RecordComponent[] parts = components(v.getClass());
            if (parts == null) return NOT_KEPT;
            Object[] items = new Object[parts.length];
            try {
                for (int i = 0; i < parts.length; i++) {
                    Object k = copy(parts[i].getAccessor().invoke(v), depth + 1);
                    if (k == NOT_KEPT) return NOT_KEPT;
                    items[i] = k;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                return NOT_KEPT;
            }
            return new Kept(Kind.RECORD, v.getClass(), items);
        }
        // a nested object written as its public fields (a bean of the same kind as an archetype)
        Field[] props = fieldsOf(v.getClass());
        if (props == UNSUPPORTED) return NOT_KEPT;
        Object[] items = new Object[props.length];
        try {
            for (int i = 0; i < props.length; i++) {
                Object k = copy(props[i].get(v), depth + 1);
                if (k == NOT_KEPT) return NOT_KEPT;
                items[i] = k;
            }
        } catch (IllegalAccessException e) {
            return NOT_KEPT;
        }
        return new Kept(Kind.BEAN, v.getClass(), items);
    }

    private boolean same(Object now, Object kept) {
        if (now == kept) return kept == null || !(kept instanceof Kept);
        if (now == null || kept == null) return false;
        if (!(kept instanceof Kept k)) return now.getClass() == kept.getClass() && now.equals(kept);
        if (now.getClass() != k.type) return false;
        Object[] items = k.items;
        switch (k.kind) {
            case OPTIONAL -> {
                return same(((Optional<?>) now).orElse(null), items[0]);
            }
            case COLLECTION -> {
                Collection<?> c = (Collection<?>) now;
                if (c.size() != items.length) return false;
                int i = 0;
                for (Object item : c) {
                    if (i == items.length || !same(item, items[i++])) return false;
                }
                return i == items.length;
            }
            case MAP -> {
                Map<?, ?> m = (Map<?, ?>) now;
                if (m.size() * 2 != items.length) return false;
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (i == items.length || !same(e.getKey(), items[i]) || !same(e.getValue(), items[i + 1])) return false;
                    i += 2;
                }
                return i == items.length;
            }
            case ARRAY -> {
                int n = Array.getLength(now);
                if (n != items.length) return false;
                for (int i = 0; i < n; i++) if (!same(Array.get(now, i), items[i])) return false;
                return true;
            }
            case RECORD -> {
                RecordComponent[] parts = components(k.type);
                if (parts == null) return false;
                try {
                    for (int i = 0; i < parts.length; i++) if (!same(parts[i].getAccessor().invoke(now), items[i])) return false;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return false;
                }
                return true;
            }
            case BEAN -> {
                Field[] props = fieldsOf(k.type);
                if (props.length != items.length) return false;
                try {
                    for (int i = 0; i < props.length; i++) if (!same(props[i].get(now), items[i])) return false;
                } catch (IllegalAccessException e) {
                    return false;
                }
                return true;
            }
        }
        return false;
    }

    /** Classes whose instances cannot change and whose printed form follows from {@code equals}. */
    private static boolean immutable(Class<?> c) {
        return c == String.class || c == Integer.class || c == Long.class || c == Boolean.class || c == Double.class
                || c == Float.class || c == Short.class || c == Byte.class || c == Character.class
                || c == BigInteger.class || c == BigDecimal.class || c == UUID.class || c.isEnum()
                || (c.getSuperclass() != null && c.getSuperclass().isEnum())
                || ("java.time".equals(c.getPackageName()) && !c.isInterface());
    }

    /** A JDK collection or map: its printed form is its items in iteration order (a subclass may add state). */
    private static boolean fromJavaUtil(Class<?> c) {
        return c.getPackageName().equals("java.util");
    }

    /** The components of a public record, made readable; null when they cannot be read. */
    private static RecordComponent[] components(Class<?> type) {
        RecordComponent[] parts = COMPONENTS.get(type);
        if (parts == null) {
            parts = type.getRecordComponents();
            try {
                for (RecordComponent p : parts) p.getAccessor().setAccessible(true);
            } catch (RuntimeException e) {
                parts = new RecordComponent[0];
            }
            COMPONENTS.put(type, parts);
        }
        return parts.length == 0 && type.getRecordComponents().length > 0 ? null : parts;
    }

    private enum Kind { OPTIONAL, COLLECTION, MAP, ARRAY, RECORD, BEAN }

    /** A container as it was: its class and its items (a map's as key, value, key, value...). */
    private record Kept(Kind kind, Class<?> type, Object[] items) {}
}
