package io.walkerd.conformance;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.walkerd.graph.Edge;
import io.walkerd.graph.Node;
import io.walkerd.graph.Root;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Walker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A node whose fields nest objects, lists, maps and enums, and the walkers that create, change and remove it. */
public final class NestedGraph {
    private NestedGraph() {}

    /**
     * jac-cloud's {@code Enum} (a Java name of its own would hide {@link java.lang.Enum}); stored by name, read by name
     * or by value ({@code "A"} or {@code "a"}), as jac-cloud's request models read it.
     */
    public enum Letter {
        A("a"), B("b"), C("c");

        public final String value;

        Letter(String value) { this.value = value; }

        @JsonCreator
        public static Letter of(String text) {
            for (Letter l : values()) if (l.name().equals(text) || l.value.equals(text)) return l;
            throw new IllegalArgumentException("'" + text + "' is none of A, B, C (or a, b, c)");
        }
    }

    public static class Child {
        public int val;
        public List<Integer> arr = new ArrayList<>();
        public Map<String, Integer> data = new LinkedHashMap<>();
        public Letter enum_field;

        public Child() {}

        Child(int val, List<Integer> arr, Map<String, Integer> data, Letter enumField) {
            this.val = val;
            this.arr = new ArrayList<>(arr);
            this.data = new LinkedHashMap<>(data);
            this.enum_field = enumField;
        }
    }

    public static class Parent extends Child {
        public Child child;

        public Parent() {}

        Parent(int val, List<Integer> arr, Map<String, Integer> data, Child child, Letter enumField) {
            super(val, arr, data, enumField);
            this.child = child;
        }
    }

    public static class Nested extends Node {
        public int val;
        public List<Integer> arr = new ArrayList<>();
        public Map<String, Integer> data = new LinkedHashMap<>();
        public Parent parent;
        public Letter enum_field;

        public Nested() {}

        Nested(int val, List<Integer> arr, Map<String, Integer> data, Parent parent, Letter enumField) {
            this.val = val;
            this.arr = new ArrayList<>(arr);
            this.data = new LinkedHashMap<>(data);
            this.parent = parent;
            this.enum_field = enumField;
        }

        /** What {@code update_nested_node} does, at every level of the node. */
        Nested update() {
            updateParent(parent);
            data.put("a", 1);
            arr.add(1);
            val = 1;
            enum_field = Letter.B;
            return this;
        }
    }

    /** The nested walkers' change to a Parent and its Child (shared by the node and the savable object). */
    static void updateParent(Parent parent) {
        parent.child.data.put("c", 3);
        parent.child.arr.add(3);
        parent.child.val = 3;
        parent.child.enum_field = Letter.A;
        parent.data.put("b", 2);
        parent.arr.add(2);
        parent.val = 2;
        parent.enum_field = Letter.C;
    }

    /** The Parent every created nested node and savable object starts with. */
    static Parent newParent() {
        return new Parent(1, List.of(1), Map.of("a", 1),
                new Child(2, List.of(1, 2), orderedMap("a", 1, "b", 2), Letter.C),
                Letter.B);
    }

    /** Connects root to a new Nested node and returns it. */
    public static class CreateNestedNode extends Walker {
        @OnEntry
        Nested enterRoot(Root here) {
            Nested n = new Nested(0, List.of(), Map.of(), newParent(), Letter.A);
            return here.connect(n);
        }
    }

    /** Changes the root's first Nested child, or the Nested node it is spawned on, and returns it. */
    public static class UpdateNestedNode extends Walker {
        @OnEntry
        Nested enterRoot(Root here) { return here.outgoing(Nested.class).get(0).update(); }

        @OnEntry
        Nested enterNested(Nested here) { return here.update(); }
    }

    /** Returns the root's first Nested child (the empty list when there is none), or the Nested node it is on. */
    public static class VisitNestedNode extends Walker {
        @OnEntry
        Object enterRoot(Root here) {
            List<Nested> nesteds = here.outgoing(Nested.class);
            return nesteds.isEmpty() ? nesteds : nesteds.get(0);
        }

        @OnEntry
        Nested enterNested(Nested here) { return here; }
    }

    /** Returns whether root was disconnected from any Nested child. */
    public static class DetachNestedNode extends Walker {
        @OnEntry
        boolean enterRoot(Root here) { return here.disconnect(Edge.class, n -> n instanceof Nested); }
    }

    /** Destroys the root's first Nested child and reports the Nested children left. */
    public static class DeleteNestedNode extends Walker {
        @OnEntry
        void enterRoot(Root here) {
            here.outgoing(Nested.class).get(0).destroy();
            report(here.outgoing(Nested.class));
        }
    }

    /** Destroys the root's first outgoing edge and reports the Nested children left. */
    public static class DeleteNestedEdge extends Walker {
        @OnEntry
        void enterRoot(Root here) {
            here.outgoingEdges(Edge.class).get(0).destroy();
            report(here.outgoing(Nested.class));
        }
    }

    private static Map<String, Integer> orderedMap(String k1, int v1, String k2, int v2) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
