package io.walkerd.graph;

/** A user's root node: every graph hangs off one. Unauthenticated callers share the public root. */
public final class Root extends Node {
    @Override
    public String typeName() { return "Root"; }
}
