package io.walkerd.conformance;

import io.walkerd.conformance.NestedGraph.Letter;
import io.walkerd.graph.Root;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Walker;

import java.util.List;
import java.util.Map;

/** Nested objects in a request: each level arrives as its own Java type. */
public final class NestedPayload {
    private NestedPayload() {}

    public static class Kid {
        public Letter enum_field;
    }

    public static class Adult extends Kid {
        public Kid kid;
        public List<Kid> arr;
        public Map<String, Kid> data;
    }

    /** Reports the simple Java type name of every nested value it received, in jac-cloud's order. */
    public static class NestedRequestPayload extends Walker {
        public Adult adult;
        public List<Adult> arr;
        public Map<String, Adult> data;
        public Letter enum_field;

        @OnEntry
        void enter1(Root here) {
            types(adult);
            types(arr.get(0));
            types(data.get("kid1"));
            report(name(enum_field));
        }

        private void types(Adult a) {
            report(name(a));
            report(name(a.kid));
            report(name(a.arr.get(0)));
            report(name(a.data.get("kid1")));
            report(name(a.enum_field));
        }

        private static String name(Object o) { return o.getClass().getSimpleName(); }
    }
}
