package io.walkerd.app.graph;

import io.walkerd.graph.Edge;

/** Task to the task it waits for, with why. */
public class DependsOn extends Edge {
    public String note = "";

    public DependsOn() {}

    public DependsOn(String note) { this.note = note; }
}
