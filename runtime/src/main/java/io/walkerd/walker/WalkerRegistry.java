package io.walkerd.walker;

import io.walkerd.graph.Archetype;
import io.walkerd.graph.Edge;
import io.walkerd.graph.GenericEdge;
import io.walkerd.graph.Node;
import io.walkerd.graph.Obj;
import io.walkerd.graph.Root;
import io.walkerd.index.WalkerIndexProcessor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every walker, node and edge type of the application, found through the {@code META-INF/walkerd/index} files
 * that the annotation processor writes at compile time.
 */
public final class WalkerRegistry {
    private final Map<String, WalkerType> walkers = new TreeMap<>();
    private final Map<String, Class<? extends Node>> nodes = new LinkedHashMap<>();
    private final Map<String, Class<? extends Edge>> edges = new LinkedHashMap<>();
    private final Map<String, Class<? extends Obj>> objects = new LinkedHashMap<>();
    /** Walker classes met only through {@code spawn} or the {@code Walkers} service (not indexed), by class. */
    private final Map<Class<?>, WalkerType> unindexed = new java.util.concurrent.ConcurrentHashMap<>();
    final NodeAbilities nodeAbilities = new NodeAbilities();

    public WalkerRegistry() {
        nodes.put("Root", Root.class);
        edges.put(Archetype.typeName(GenericEdge.class), GenericEdge.class);
    }

    /** Registers every indexed type visible to the class loader, those marked {@link EnabledBy} too. */
    public static WalkerRegistry discover(ClassLoader loader) { return discover(loader, setting -> true); }

    /**
     * Registers the indexed types visible to the class loader; a type marked {@link EnabledBy} (itself or its
     * package) only when {@code enabled} says its setting is on.
     */
    public static WalkerRegistry discover(ClassLoader loader, java.util.function.Predicate<String> enabled) {
        WalkerRegistry registry = new WalkerRegistry();
        try {
            Enumeration<URL> files = loader.getResources(WalkerIndexProcessor.INDEX);
            for (URL url : Collections.list(files)) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.isBlank()) continue;
                        Class<?> type = Class.forName(line.trim(), false, loader);
                        EnabledBy by = enabledBy(type);
                        if (by == null || enabled.test(by.value())) registry.add(type);
                    }
                }
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read the walker index: " + e.getMessage(), e);
        }
        return registry;
    }

    /** The {@link EnabledBy} that governs {@code type}: its own, else its package's; null when it is always registered. */
    public static EnabledBy enabledBy(Class<?> type) {
        EnabledBy own = type.getAnnotation(EnabledBy.class);
        if (own != null) return own;
        Package p = type.getPackage();
        return p == null ? null : p.getAnnotation(EnabledBy.class);
    }

    /** Registers one walker, node or edge class. */
    @SuppressWarnings("unchecked")
    public WalkerRegistry add(Class<?> type) {
        if (Modifier.isAbstract(type.getModifiers())) return this;
        if (Walker.class.isAssignableFrom(type)) {
            WalkerType w = new WalkerType((Class<? extends Walker>) type);
            WalkerType old = walkers.putIfAbsent(w.name(), w);
            if (old != null && old.type() != type) {
                throw new IllegalStateException("two walkers named " + w.name() + ": " + old.type().getName() + " and " + type.getName());
            }
        } else if (Node.class.isAssignableFrom(type)) {
            putUnique(nodes, Archetype.typeName(type), (Class<? extends Node>) type, "node");
        } else if (Edge.class.isAssignableFrom(type)) {
            putUnique(edges, Archetype.typeName(type), (Class<? extends Edge>) type, "edge");
        } else if (Obj.class.isAssignableFrom(type)) {
            putUnique(objects, Archetype.typeName(type), (Class<? extends Obj>) type, "object");
        }
        return this;
    }

    private static <T> void putUnique(Map<String, Class<? extends T>> map, String name, Class<? extends T> type, String kind) {
        Class<? extends T> old = map.putIfAbsent(name, type);
        if (old != null && old != type) {
            throw new IllegalStateException("two " + kind + " types named " + name + ": " + old.getName() + " and " + type.getName());
        }
    }

    public WalkerType walker(String name) { return walkers.get(name); }

    public Collection<WalkerType> walkers() { return Collections.unmodifiableCollection(walkers.values()); }

    public Class<? extends Node> nodeType(String name) { return nodes.get(name); }

    public Class<? extends Edge> edgeType(String name) { return edges.get(name); }

    public Class<? extends Obj> objectType(String name) { return objects.get(name); }

    /** The type of a walker class: the registered one, or one made for a class the index does not list. */
    public WalkerType typeOf(Class<? extends Walker> type) {
        WalkerType w = walkers.get(WalkerType.nameOf(type));
        if (w != null && w.type() == type) return w;
        return unindexed.computeIfAbsent(type, t -> new WalkerType(type));
    }
}
