package io.walkerd.app.graph;

/** When a task is due and how long it should take: a nested object inside a {@link Task}. */
public class Schedule {
    /** An ISO date, e.g. {@code 2025-01-31}; null when the task has no due date. */
    public String due;
    public int estimate_hours;

    public Schedule() {}

    public Schedule(String due, int estimateHours) {
        this.due = due;
        this.estimate_hours = estimateHours;
    }
}
