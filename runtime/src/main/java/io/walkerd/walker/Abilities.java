package io.walkerd.walker;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The entry and exit abilities a class declares (its own and inherited), in declaration order. */
record Abilities(List<Ability> entries, List<Ability> exits) {

    static Abilities of(Class<?> type) {
        List<Ability> entries = new ArrayList<>();
        List<Ability> exits = new ArrayList<>();
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) chain.add(0, c);
        for (Class<?> c : chain) {
            for (Method m : declaredInOrder(c)) {
                OnEntry in = m.getAnnotation(OnEntry.class);
                OnExit out = m.getAnnotation(OnExit.class);
                if (in != null) entries.add(Ability.of(m, in.value()));
                if (out != null) exits.add(Ability.of(m, out.value()));
            }
        }
        return new Abilities(List.copyOf(entries), List.copyOf(exits));
    }

    /**
     * The class's abilities in the order they are declared, as the compile-time index recorded it. Abilities of a
     * class the index does not know come after, in the order of their names.
     */
    private static List<Method> declaredInOrder(Class<?> c) {
        List<Method> methods = new ArrayList<>();
        for (Method m : c.getDeclaredMethods()) {
            if (m.isSynthetic() || m.isBridge()) continue;
            if (m.isAnnotationPresent(OnEntry.class) || m.isAnnotationPresent(OnExit.class)) methods.add(m);
        }
        if (methods.size() > 1 && !AbilityOrder.recorded(c)) AbilityOrder.warnUnrecorded(c);
        methods.sort(Comparator.comparingInt((Method m) -> {
            int at = AbilityOrder.position(m);
            return at < 0 ? Integer.MAX_VALUE : at;
        }).thenComparing(Method::getName));
        return methods;
    }
}
