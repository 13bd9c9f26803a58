package io.walkerd.app.graph;

/** One line of a task's checklist: a nested object kept in a list. */
public class Step {
    public String text = "";
    public boolean done;

    public Step() {}

    public Step(String text) { this.text = text; }
}
