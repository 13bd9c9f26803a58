package io.walkerd.app.graph;

import io.walkerd.graph.Node;
import io.walkerd.graph.Root;
import io.walkerd.walker.EntryType;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.OnExit;
import io.walkerd.walker.Optional;
import io.walkerd.walker.Required;
import io.walkerd.walker.Specs;
import io.walkerd.walker.Walker;
import io.walkerd.walker.WalkerFailure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small project board on the caller's graph: {@code root -> Project -Holds-> Task}, with {@code DependsOn}
 * edges between tasks. Together these walkers create, traverse, update, detach and delete nodes and edges.
 */
public final class ProjectWalkers {
    private ProjectWalkers() {}

    /** Creates a project under the caller's root and reports it, with status 201. */
    @Specs(entryType = EntryType.ROOT, statusCode = 201, tags = {"projects"}, summary = "Create a project")
    public static class CreateProject extends Walker {
        @Required public String name;
        public List<String> tags = new ArrayList<>();
        public Map<String, String> settings = new LinkedHashMap<>();

        @OnEntry
        void create(Root root) {
            Project project = new Project(name);
            project.tags = tags;
            project.settings = settings;
            root.connect(project);
            status(201);
            report(project);
        }
    }

    /** Adds a task to the project it is spawned on; the {@link Holds} edge records the task's position. */
    @Specs(entryType = EntryType.NODE, tags = {"projects"}, summary = "Add a task to a project")
    public static class AddTask extends Walker {
        @Required public String title;
        public Priority priority = Priority.MEDIUM;
        public List<String> labels = new ArrayList<>();
        public Map<String, Object> meta = new LinkedHashMap<>();
        public Schedule schedule = new Schedule();
        /** The checklist's lines; each becomes a {@link Step} that is not done. */
        public List<String> steps = new ArrayList<>();

        @OnEntry
        void add(Node here) {
            Project project = Project.expect(here, "add_task");
            Task task = new Task();
            task.title = title;
            task.priority = priority;
            task.labels = labels;
            task.meta = meta;
            task.schedule = schedule;
            for (String s : steps) task.checklist.add(new Step(s));
            int position = 0;
            for (Holds h : project.outgoingEdges(Holds.class)) position = Math.max(position, h.position + 1);
            project.connect(task, new Holds(position));
            report(task);
        }
    }

    /** Reports the caller's projects. */
    @Specs(methods = {"get"}, entryType = EntryType.ROOT, tags = {"projects"}, summary = "List my projects")
    public static class ListProjects extends Walker {
        @OnEntry
        void list(Root root) {
            for (Project p : root.outgoing(Project.class)) report(p);
        }
    }

    /**
     * The board of the project it is spawned on, in one report: {@code {"project": <project>, "tasks": [<task>, ...]}}.
     * A live board shows it, then joins the channel of the project and of each task (their ref ids): every commit
     * that changes one of them sends a {@code node} event there (see the websocket's node channels).
     */
    @Specs(methods = {"get", "websocket"}, entryType = EntryType.NODE, tags = {"projects"}, summary = "A project and its tasks, for a live board")
    public static class ProjectBoard extends Walker {
        @OnEntry
        void board(Node here) {
            Project project = Project.expect(here, "project_board");
            Map<String, Object> board = new LinkedHashMap<>();
            board.put("project", project);
            board.put("tasks", project.tasks());
            report(board);
        }
    }

    /**
     * Walks breadth-first from where it is spawned: from the root through every project to every task, from a
     * project through its tasks. Reports each node it enters, then a count that the nodes keep themselves (see
     * {@link Project} and {@link Task}'s abilities for this walker).
     */
    @Specs(tags = {"projects"}, summary = "Walk projects and their tasks")
    public static class WalkProjects extends Walker {
        int projects;
        int tasks;

        @OnEntry
        void fromRoot(Root root) { visit(root.outgoing(Project.class)); }

        @OnEntry
        void project(Project project) {
            report(project);
            visit(project.tasks());
        }

        @OnEntry
        void task(Task task) { report(task); }

        @OnExit
        void summary() { report(Map.of("projects", projects, "tasks", tasks)); }
    }

    /**
     * Changes the task it is spawned on. Every field is optional; only those given change. {@code meta} is
     * merged key by key (a null value removes the key); {@code check} marks a checklist step done by index.
     */
    @Specs(methods = {"patch"}, entryType = EntryType.NODE, tags = {"projects"}, summary = "Update a task")
    public static class UpdateTask extends Walker {
        @Optional public String title;
        @Optional public Priority priority;
        @Optional public Boolean done;
        @Optional public List<String> add_labels;
        @Optional public List<String> remove_labels;
        @Optional public Map<String, Object> meta;
        @Optional public Schedule schedule;
        @Optional public List<String> add_steps;
        @Optional public Integer check;

        @OnEntry
        void update(Node here) {
            Task task = Task.expect(here, "update_task");
            if (title != null) task.title = title;
            if (priority != null) task.priority = priority;
            if (done != null) task.done = done;
            if (add_labels != null) for (String l : add_labels) if (!task.labels.contains(l)) task.labels.add(l);
            if (remove_labels != null) task.labels.removeAll(remove_labels);
            if (meta != null) {
                meta.forEach((k, v) -> {
                    if (v == null) task.meta.remove(k); else task.meta.put(k, v);
                });
            }
            if (schedule != null) task.schedule = schedule;
            if (add_steps != null) for (String s : add_steps) task.checklist.add(new Step(s));
            if (check != null) {
                if (check < 0 || check >= task.checklist.size()) {
                    throw new WalkerFailure(400, "check: task '" + task.title + "' has steps 0.." + (task.checklist.size() - 1) + ", not " + check);
                }
                task.checklist.get(check).done = true;
            }
            report(task);
        }
    }

    /** In the project it is spawned on, makes task {@code task} depend on task {@code depends_on} (by title). */
    @Specs(entryType = EntryType.NODE, tags = {"projects"}, summary = "Make one task depend on another")
    public static class LinkTasks extends Walker {
        @Required public String task;
        @Required public String depends_on;
        public String note = "";

        @OnEntry
        void link(Node here) {
            Project project = Project.expect(here, "link_tasks");
            Task from = project.task(task);
            Task to = project.task(depends_on);
            DependsOn edge = new DependsOn(note);
            from.connect(to, edge);
            report(edge);
        }
    }

    /**
     * Removes the edge from the project it is spawned on to the task titled {@code title}. The task itself
     * stays: it is no longer listed by the project but can still be reached by its id.
     */
    @Specs(entryType = EntryType.NODE, tags = {"projects"}, summary = "Detach a task from its project")
    public static class DetachTask extends Walker {
        @Required public String title;

        @OnEntry
        void detach(Node here) {
            Project project = Project.expect(here, "detach_task");
            Task task = project.task(title);
            project.disconnect(task);
            report(task);
        }
    }

    /** Deletes the task it is spawned on, and every edge touching it. */
    @Specs(methods = {"delete"}, entryType = EntryType.NODE, tags = {"projects"}, summary = "Delete a task")
    public static class DeleteTask extends Walker {
        @OnEntry
        void delete(Node here) {
            Task task = Task.expect(here, "delete_task");
            String id = task.id();
            task.destroy();
            report(Map.of("deleted", id));
        }
    }

    /** Deletes the project it is spawned on, with its tasks. */
    @Specs(methods = {"delete"}, entryType = EntryType.NODE, tags = {"projects"}, summary = "Delete a project and its tasks")
    public static class DeleteProject extends Walker {
        @OnEntry
        void delete(Node here) {
            Project project = Project.expect(here, "delete_project");
            List<String> deleted = new ArrayList<>();
            for (Task t : project.tasks()) {
                deleted.add(t.id());
                t.destroy();
            }
            deleted.add(project.id());
            project.destroy();
            report(Map.of("deleted", deleted));
        }
    }
}
