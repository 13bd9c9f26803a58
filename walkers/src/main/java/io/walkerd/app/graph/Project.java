package io.walkerd.app.graph;

import io.walkerd.graph.Node;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.WalkerFailure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A project hangs off its owner's root and {@link Holds} its tasks. */
public class Project extends Node {
    public String name = "";
    public List<String> tags = new ArrayList<>();
    public Map<String, String> settings = new LinkedHashMap<>();
    /** The position the next task gets: kept here so that adding a task never reads the others. */
    public int next_position;

    public Project() {}

    public Project(String name) { this.name = name; }

    /** Its tasks in the order they were added. */
    public List<Task> tasks() {
        List<Task> tasks = new ArrayList<>();
        for (Holds h : outgoingEdges(Holds.class)) if (h.target() instanceof Task t) tasks.add(t);
        return tasks;
    }

    /** The task with this title; a 404 for the caller when there is none. */
    public Task task(String title) {
        for (Task t : tasks()) if (t.title.equals(title)) return t;
        throw new WalkerFailure(404, "Project " + name + " has no task titled '" + title + "'");
    }

    /** {@code node} as a project; a 400 for the caller when a walker that needs a project was spawned elsewhere. */
    public static Project expect(Node node, String walker) {
        if (node instanceof Project p) return p;
        throw new WalkerFailure(400, walker + " runs on a project: call /walker/" + walker + "/<project id>, not on " + node.id());
    }

    /** A node's own ability: when {@code walk_projects} enters, the node counts itself into the walker's tally. */
    @OnEntry
    void countMe(ProjectWalkers.WalkProjects walker) { walker.projects++; }
}
