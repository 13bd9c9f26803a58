package io.walkerd.conformance;

import io.walkerd.graph.Node;
import io.walkerd.graph.Root;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Schedule;
import io.walkerd.walker.Specs;
import io.walkerd.walker.Walker;
import io.walkerd.walker.WalkerDocument;
import io.walkerd.walker.Walkers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Walkers beyond the request: a task on a counter, a scheduled walker, an async walker, and what they left. */
public final class TasksAndSchedules {
    private TasksAndSchedules() {}

    public static class TaskCounter extends Node {
        public int val = 0;
    }

    /** Creates a TaskCounter under the root and reports it; spawned on a counter, reports that one. */
    public static class GetOrCreateCounter extends Walker {
        @OnEntry
        void enter1(Root here) { report(here.connect(new TaskCounter())); }

        @OnEntry
        void enter2(TaskCounter here) { report(here); }
    }

    /** Private: adds {@code val} to the counter it runs on. */
    @Specs(isPrivate = true)
    public static class IncrementCounter extends Walker {
        public int val;

        public IncrementCounter() {}

        public IncrementCounter(int val) { this.val = val; }

        @OnEntry
        void enter(TaskCounter here) { here.val += val; }
    }

    /** Creates a task that increments the root's first counter, and reports its id. */
    public static class TriggerCounterTask extends Walker {
        @OnEntry
        void enter(Root here) {
            List<TaskCounter> counters = here.outgoing(TaskCounter.class);
            if (!counters.isEmpty()) report(createTask(new IncrementCounter(1), counters.get(0)));
        }
    }

    /** Every second, as the super root: reports a TaskCounter's val (or null when there is none); each run is saved. */
    @Specs(isPrivate = true, schedule = @Schedule(trigger = Schedule.Trigger.CRON, cron = "* * * * * *",
            args = {"1", "2"}, kwargs = {"kwarg1 = 30", "kwarg2 = 40"}, save = true))
    public static class WalkerCron extends Walker {
        public int arg1;
        public String arg2;
        public int kwarg1 = 3;
        public String kwarg2 = "4";

        @OnEntry
        void enter(Root here) {
            List<TaskCounter> counters = findNodes(TaskCounter.class, 1);
            report(counters.isEmpty() ? null : counters.get(0).val);
        }
    }

    /** Reports the last saved run of walker_cron: its name, owner, input and schedule (null before the first). */
    public static class GetScheduledWalkerResult extends Walker {
        @OnEntry
        void enter(Root here) {
            report(context().service(Walkers.class).latest("walker_cron").map(TasksAndSchedules::document).orElse(null));
        }
    }

    /** Answers its walker id at once; runs on a worker and marks itself done. */
    @Specs(async = true)
    public static class AsyncWalker extends Walker {
        public int arg1;
        public String arg2;
        public int kwarg1 = 3;
        public String kwarg2 = "4";
        public boolean done = false;

        @OnEntry
        void enter(Root here) { done = true; }
    }

    /** Reports the caller's own walker document {@code walker_id}: name, owner, input and schedule; else null. */
    public static class GetAsyncWalker extends Walker {
        public String walker_id;

        @OnEntry
        void enter(Root here) {
            String me = context().caller().rootRef();
            report(context().service(Walkers.class).document(walker_id).filter(d -> d.root().equals(me))
                    .map(TasksAndSchedules::document).orElse(null));
        }
    }

    static Map<String, Object> document(WalkerDocument d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("name", d.name());
        m.put("root", d.root());
        m.put("archetype", d.archetype());
        m.put("schedule", d.schedule());
        return m;
    }
}
