package io.walkerd.server;

import io.walkerd.walker.EnabledBy;
import io.walkerd.walker.WalkerRegistry;
import io.walkerd.walker.WalkerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The protections a server runs without, gathered while it is configured (by the runtime and by plugins) and named
 * in one warning line when it has started, so that an operator sees at once what a public deployment must turn on.
 */
public final class InsecureSettings {
    private static final Logger log = LoggerFactory.getLogger(InsecureSettings.class);

    private final List<String> found = new ArrayList<>();

    /**
     * Notes one insecure setting in force.
     *
     * @param setting how it is set, e.g. {@code SOCKET_CLIENT_EVENTS=open} or {@code SOCKET_ALLOWED_ORIGINS unset}
     * @param risk    what it allows, in a few words
     */
    public synchronized void add(String setting, String risk) { found.add(setting + " (" + risk + ")"); }

    /** Notes each setting that switched on walkers registered only on demand ({@link EnabledBy}). */
    void optedIn(WalkerRegistry registry) {
        Map<String, List<String>> walkers = new TreeMap<>();
        for (WalkerType w : registry.walkers()) {
            EnabledBy by = WalkerRegistry.enabledBy(w.type());
            if (by != null) walkers.computeIfAbsent(by.value(), k -> new ArrayList<>()).add(w.name());
        }
        walkers.forEach((setting, names) -> add(setting + "=true", "serves walkers that are off by default: " + String.join(", ", names)));
    }

    /** What was noted, in the order it was noted. */
    public synchronized List<String> all() { return List.copyOf(found); }

    /** Logs the start-up warning: one line naming every insecure setting; nothing when there is none. */
    void warn() {
        List<String> all = all();
        if (!all.isEmpty()) log.warn("insecure settings in force: {}; see the README's deployment checklist", String.join("; ", all));
    }
}
