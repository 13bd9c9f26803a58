package io.walkerd.walker;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/** One ability method and the types it reacts to (node types for a walker's, walker types for a node's). */
record Ability(Method method, List<Class<?>> reactsTo, boolean takesArgument) {

    static Ability of(Method m, Class<?>[] declared) {
        m.setAccessible(true);
        if (m.getParameterCount() > 1) {
            throw new IllegalArgumentException("ability " + m + " takes more than one parameter");
        }
        boolean takesArgument = m.getParameterCount() == 1;
        List<Class<?>> types = declared.length > 0 ? List.of(declared)
                : takesArgument ? List.of(m.getParameterTypes()[0]) : List.of();
        return new Ability(m, types, takesArgument);
    }

    boolean untyped() { return reactsTo.isEmpty(); }

    boolean matches(Object subject) {
        if (reactsTo.isEmpty()) return true;
        for (Class<?> t : reactsTo) if (t.isInstance(subject)) return true;
        return false;
    }

    /** Invokes the ability and returns its value; an exception thrown by the ability is rethrown as is. */
    Object invoke(Object target, Object argument) {
        try {
            return takesArgument ? method.invoke(target, argument) : method.invoke(target);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new WalkerFailure(cause.getMessage(), cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
