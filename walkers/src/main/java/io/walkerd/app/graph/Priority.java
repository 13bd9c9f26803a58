package io.walkerd.app.graph;

/** How urgent a task is; stored and sent by name ({@code "HIGH"}). */
public enum Priority { LOW, MEDIUM, HIGH }
