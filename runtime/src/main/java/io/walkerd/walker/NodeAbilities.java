package io.walkerd.walker;

import io.walkerd.graph.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Abilities declared on node types, split into those for any walker and those for particular walker types. */
final class NodeAbilities {
    private final ConcurrentHashMap<Class<?>, Split> byNodeType = new ConcurrentHashMap<>();

    record Split(List<Ability> anyEntry, List<Ability> typedEntry, List<Ability> typedExit, List<Ability> anyExit) {}

    Split of(Class<? extends Node> nodeType) {
        return byNodeType.computeIfAbsent(nodeType, t -> {
            Abilities a = Abilities.of(t);
            List<Ability> anyEntry = new ArrayList<>(), typedEntry = new ArrayList<>();
            List<Ability> anyExit = new ArrayList<>(), typedExit = new ArrayList<>();
            for (Ability x : a.entries()) (forAnyWalker(x) ? anyEntry : typedEntry).add(x);
            for (Ability x : a.exits()) (forAnyWalker(x) ? anyExit : typedExit).add(x);
            return new Split(anyEntry, typedEntry, typedExit, anyExit);
        });
    }

    private static boolean forAnyWalker(Ability a) {
        return a.untyped() || (a.reactsTo().size() == 1 && a.reactsTo().get(0) == Walker.class);
    }
}
