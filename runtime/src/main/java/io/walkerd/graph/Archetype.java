package io.walkerd.graph;

/**
 * Base of every user-defined graph type (nodes, edges, walkers). Public instance fields are the archetype's data:
 * they are what is stored in MongoDB and what a walker receives as input.
 */
public abstract class Archetype {

    /** The type name used in ref ids and documents: the simple class name, or the class's {@link TypeName}. */
    public String typeName() { return typeName(getClass()); }

    public static String typeName(Class<?> type) {
        TypeName named = type.getAnnotation(TypeName.class);
        return named == null ? type.getSimpleName() : named.value();
    }
}
