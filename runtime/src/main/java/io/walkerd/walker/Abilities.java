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
     * Reflection does not promise declaration order, so abilities of one class and one phase run in the order of
     * their method names: deterministic, and documented in the README.
     */
    private static List<Method> declaredInOrder(Class<?> c) {
        List<Method> methods = new ArrayList<>(List.of(c.getDeclaredMethods()));
        methods.removeIf(Method::isSynthetic);
        methods.removeIf(Method::isBridge);
        methods.sort(Comparator.comparing(Method::getName));
        return methods;
    }
}
