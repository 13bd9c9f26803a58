package io.walkerd.walker;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Everything the runtime knows of one walker class: its name, specs, input fields and abilities. */
public final class WalkerType {
    private static final Specs DEFAULT_SPECS = Defaults.class.getAnnotation(Specs.class);

    @Specs
    private static final class Defaults {}

    private final String name;
    private final Class<? extends Walker> type;
    private final Specs specs;
    private final List<InputField> fields;
    private final Abilities abilities;
    private final Constructor<? extends Walker> constructor;

    WalkerType(Class<? extends Walker> type) {
        this.type = type;
        Specs declared = type.getAnnotation(Specs.class);
        this.specs = declared == null ? DEFAULT_SPECS : declared;
        this.name = nameOf(type);
        try {
            this.constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("walker " + type.getName() + " needs a constructor without parameters");
        }
        if (!WalkerRunner.validStatus(specs.statusCode())) {
            throw new IllegalArgumentException("walker " + name + " has statusCode " + specs.statusCode()
                    + ": a walker may answer 2xx (but 204), 4xx or 5xx");
        }
        if (specs.schedule().length > 1 || specs.webhook().length > 1) {
            throw new IllegalArgumentException("walker " + name + " has more than one schedule or webhook in its specs");
        }
        this.abilities = Abilities.of(type);
        this.fields = inputFields(type, newInstance());
    }

    public String name() { return name; }

    /** A walker class's name: its specs' name, else the snake_case of its simple name. */
    static String nameOf(Class<? extends Walker> type) {
        Specs declared = type.getAnnotation(Specs.class);
        return declared == null || declared.name().isEmpty() ? snakeCase(type.getSimpleName()) : declared.name();
    }

    public Class<? extends Walker> type() { return type; }

    public Specs specs() { return specs; }

    public List<InputField> fields() { return fields; }

    Abilities abilities() { return abilities; }

    /** Lower-case methods from the specs, e.g. {@code post}, {@code websocket}. */
    public Set<String> methods() {
        Set<String> m = new TreeSet<>();
        for (String s : specs.methods()) m.add(s.toLowerCase(Locale.ROOT));
        return m;
    }

    public boolean isPrivate() { return specs.isPrivate(); }

    public boolean auth() { return specs.auth(); }

    public boolean async() { return specs.async(); }

    /** The walker's schedule, or null. */
    public Schedule schedule() { return specs.schedule().length == 0 ? null : specs.schedule()[0]; }

    /** The walker's webhook settings, or null for a walker called with a token. */
    public Webhook webhook() { return specs.webhook().length == 0 ? null : specs.webhook()[0]; }

    /** Field names taken from the query string. */
    public Set<String> queryFields() {
        Set<String> q = new TreeSet<>();
        List<String> declared = Arrays.asList(specs.asQuery());
        for (InputField f : fields) if (declared.contains("*") || declared.contains(f.name())) q.add(f.name());
        return q;
    }

    /** Field names bound from {@code {var}} segments of the specs' path. */
    public Set<String> pathFields() {
        Set<String> p = new TreeSet<>();
        for (InputField f : fields) if (specs.path().contains("{" + f.name() + "}")) p.add(f.name());
        return p;
    }

    public Walker newInstance() {
        try {
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create walker " + name + ": " + e.getMessage(), e);
        }
    }

    private static List<InputField> inputFields(Class<?> type, Walker defaults) {
        List<InputField> out = new ArrayList<>();
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != Walker.class && c != null; c = c.getSuperclass()) chain.add(0, c);
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (!Modifier.isPublic(mod) || Modifier.isStatic(mod) || Modifier.isTransient(mod)) continue;
                Object value;
                try {
                    value = f.get(defaults);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                boolean required = f.isAnnotationPresent(Required.class)
                        || (value == null && !f.getType().isPrimitive() && !f.isAnnotationPresent(Optional.class));
                out.add(new InputField(f.getName(), f, required, value));
            }
        }
        return List.copyOf(out);
    }

    /** {@code CreateGraph} becomes {@code create_graph}; {@code HTTPThing} becomes {@code http_thing}. */
    public static String snakeCase(String camel) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean prevLower = i > 0 && (Character.isLowerCase(camel.charAt(i - 1)) || Character.isDigit(camel.charAt(i - 1)));
                boolean nextLower = i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1));
                if (i > 0 && (prevLower || (nextLower && Character.isUpperCase(camel.charAt(i - 1))))) b.append('_');
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** One input field: its JSON name, Java field, whether the caller must give it, and its default. */
    public record InputField(String name, Field field, boolean required, Object defaultValue) {}
}
