package io.walkerd.app.specs;

import io.walkerd.app.graph.Holds;
import io.walkerd.app.graph.Priority;
import io.walkerd.app.graph.Project;
import io.walkerd.app.graph.Task;
import io.walkerd.auth.Principal;
import io.walkerd.graph.Node;
import io.walkerd.graph.Root;
import io.walkerd.walker.EntryType;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Optional;
import io.walkerd.walker.Specs;
import io.walkerd.walker.Walker;
import io.walkerd.walker.WalkerFailure;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One walker per option of {@code @Specs}: methods, path variables, query fields, auth, entry type, private. */
public final class SpecsWalkers {
    private SpecsWalkers() {}

    /** GET only, token required, root only: who the caller is, as the server sees it. */
    @Specs(methods = {"get"}, entryType = EntryType.ROOT, tags = {"specs"}, summary = "Who am I")
    public static class Whoami extends Walker {
        @OnEntry
        void tell(Root root) {
            Principal caller = context().caller();
            Map<String, Object> me = new LinkedHashMap<>();
            me.put("root_id", root.id());
            me.put("email", caller.email());
            me.put("called_with", context().method());
            report(me);
        }
    }

    /** A path variable ({@code /walker/greet/Ada}), no token needed: runs on the public root when anonymous. */
    @Specs(methods = {"get"}, path = "/{name}", auth = false, entryType = EntryType.ROOT, tags = {"specs"}, summary = "Greet by name")
    public static class Greet extends Walker {
        public String name;

        @OnEntry
        void greet(Root root) { report("Hello, " + name + "!"); }
    }

    /** A node segment and a path variable together: {@code /walker/task_at/<project id>/position/1}. */
    @Specs(methods = {"get"}, path = "/position/{position}", entryType = EntryType.NODE, tags = {"specs"}, summary = "The task at a position in a project")
    public static class TaskAt extends Walker {
        public int position;

        @OnEntry
        void find(Node here) {
            Project project = Project.expect(here, "task_at");
            var found = project.outgoing(Holds.class, Task.class, h -> h.position == position);
            if (found.isEmpty()) throw new WalkerFailure(404, "Project " + project.name + " has no task at position " + position);
            report(found.get(0));
        }
    }

    /** Named query fields: {@code ?q=milk&limit=5}; case-insensitive search of task titles in every project. */
    @Specs(methods = {"get"}, asQuery = {"q", "limit"}, entryType = EntryType.ROOT, tags = {"specs"}, summary = "Search tasks by title")
    public static class SearchTasks extends Walker {
        public String q;
        public int limit = 10;

        @OnEntry
        void search(Root root) {
            String needle = q.toLowerCase(Locale.ROOT);
            int found = 0;
            for (Project p : root.outgoing(Project.class)) {
                for (Task t : p.tasks()) {
                    if (found < limit && t.title.toLowerCase(Locale.ROOT).contains(needle)) {
                        report(t);
                        found++;
                    }
                }
            }
        }
    }

    /** Every field from the query ({@code as_query "*"}), all optional: {@code ?priority=HIGH&done=false}. */
    @Specs(methods = {"get"}, asQuery = {"*"}, entryType = EntryType.ROOT, tags = {"specs"}, summary = "Filter tasks")
    public static class FilterTasks extends Walker {
        @Optional public Priority priority;
        @Optional public Boolean done;
        @Optional public String label;

        @OnEntry
        void filter(Root root) {
            for (Project p : root.outgoing(Project.class)) {
                for (Task t : p.tasks()) {
                    if (priority != null && t.priority != priority) continue;
                    if (done != null && t.done != done) continue;
                    if (label != null && !t.labels.contains(label)) continue;
                    report(t);
                }
            }
        }
    }

    /**
     * Private: the server exposes it neither as a route nor as a websocket event, and {@code /openapi.json} does
     * not list it. Such walkers hold work meant for server-side code only.
     */
    @Specs(isPrivate = true, entryType = EntryType.ROOT)
    public static class PurgeDoneTasks extends Walker {
        @OnEntry
        void purge(Root root) {
            for (Project p : root.outgoing(Project.class)) for (Task t : p.tasks()) if (t.done) t.destroy();
        }
    }
}
