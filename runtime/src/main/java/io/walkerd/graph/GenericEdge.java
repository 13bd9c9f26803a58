package io.walkerd.graph;

/** The edge {@link Node#connect(Node)} creates when no edge type is given. */
public final class GenericEdge extends Edge {
}
