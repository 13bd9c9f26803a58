package io.walkerd.app.graph;

import io.walkerd.graph.Node;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.WalkerFailure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task of a {@link Project}. Its fields show every kind of value a node can keep: text, an enum, a flag, a
 * list, a map with values of any JSON type, a nested object and a list of nested objects.
 */
public class Task extends Node {
    public String title = "";
    public Priority priority = Priority.MEDIUM;
    public boolean done;
    public List<String> labels = new ArrayList<>();
    public Map<String, Object> meta = new LinkedHashMap<>();
    public Schedule schedule = new Schedule();
    public List<Step> checklist = new ArrayList<>();

    /** {@code node} as a task; a 400 for the caller when a walker that needs a task was spawned elsewhere. */
    public static Task expect(Node node, String walker) {
        if (node instanceof Task t) return t;
        throw new WalkerFailure(400, walker + " runs on a task: call /walker/" + walker + "/<task id>, not on " + node.id());
    }

    /** A node's own ability: when {@code walk_projects} enters, the node counts itself into the walker's tally. */
    @OnEntry
    void countMe(ProjectWalkers.WalkProjects walker) { walker.tasks++; }
}
