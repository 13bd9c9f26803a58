package io.walkerd.walker;

import io.walkerd.index.WalkerIndexProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The declaration order of abilities, as the index processor recorded it at compile time
 * ({@code META-INF/walkerd/abilities}): reflection lists a class's methods in no promised order, and jac runs the
 * abilities of one class and phase in the order they are written.
 */
final class AbilityOrder {
    private static final Logger log = LoggerFactory.getLogger(AbilityOrder.class);
    private static final Map<ClassLoader, Map<String, List<String>>> BY_LOADER = new WeakHashMap<>();

    private AbilityOrder() {}

    /**
     * The position of an ability among its class's abilities, or -1 when the class was not compiled with the
     * index processor (then its abilities run after the recorded ones, in the order of their names).
     */
    static int position(Method m) {
        List<String> declared = declared(m.getDeclaringClass());
        return declared == null ? -1 : declared.indexOf(signature(m));
    }

    /** True when the class's abilities are in the index. */
    static boolean recorded(Class<?> c) { return declared(c) != null; }

    static void warnUnrecorded(Class<?> c) {
        log.warn("{} has several abilities of one phase but is not in any {} (compiled without the walker index"
                + " processor?): they run in the order of their names", c.getName(), WalkerIndexProcessor.ABILITIES);
    }

    private static List<String> declared(Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        if (loader == null) return null;
        Map<String, List<String>> all;
        synchronized (BY_LOADER) {
            all = BY_LOADER.computeIfAbsent(loader, AbilityOrder::read);
        }
        return all.get(c.getName());
    }

    private static String signature(Method m) {
        StringBuilder b = new StringBuilder(m.getName()).append('(');
        Class<?>[] params = m.getParameterTypes();
        for (int i = 0; i < params.length; i++) {
            if (i > 0) b.append(',');
            b.append(params[i].getName());
        }
        return b.append(')').toString();
    }

    private static Map<String, List<String>> read(ClassLoader loader) {
        Map<String, List<String>> out = new HashMap<>();
        try {
            for (URL url : Collections.list(loader.getResources(WalkerIndexProcessor.ABILITIES))) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        String[] parts = line.trim().split(" ");
                        if (parts.length < 2) continue;
                        out.put(parts[0], List.of(parts).subList(1, parts.length));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WalkerIndexProcessor.ABILITIES, e);
        }
        return out;
    }
}
