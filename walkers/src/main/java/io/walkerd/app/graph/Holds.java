package io.walkerd.app.graph;

import io.walkerd.graph.Edge;

/** Project to task; {@code position} is the task's place in the project (0 for the first task added). */
public class Holds extends Edge {
    public int position;

    public Holds() {}

    public Holds(int position) { this.position = position; }
}
