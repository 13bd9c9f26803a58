package io.walkerd.conformance;

import io.walkerd.conformance.NestedGraph.Letter;
import io.walkerd.conformance.NestedGraph.Parent;
import io.walkerd.graph.Obj;
import io.walkerd.graph.Root;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Walker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A savable object with the nested node's fields, and the walkers that create, read, change and delete it. */
public final class SavableObjects {
    private SavableObjects() {}

    public static class SavableObject extends Obj {
        public int val;
        public List<Integer> arr = new ArrayList<>();
        public Map<String, Integer> data = new LinkedHashMap<>();
        public Parent parent;
        public Letter enum_field;
    }

    /** Saves a SavableObject with the values create_nested_node gives its node, and reports it. */
    public static class CreateCustomObject extends Walker {
        @OnEntry
        void enter1(Root here) {
            SavableObject o = new SavableObject();
            o.parent = NestedGraph.newParent();
            o.enum_field = Letter.A;
            report(save(o));
        }
    }

    /** Reports the object {@code object_id}, or null when it is gone (or unreadable). */
    public static class GetCustomObject extends Walker {
        public String object_id;

        @OnEntry
        void enter1(Root here) { report(load(object_id, SavableObject.class)); }
    }

    /** Makes update_nested_node's changes to the object and reports it. */
    public static class UpdateCustomObject extends Walker {
        public String object_id;

        @OnEntry
        void enter1(Root here) {
            SavableObject o = load(object_id, SavableObject.class);
            if (o != null) {
                NestedGraph.updateParent(o.parent);
                o.data.put("a", 1);
                o.arr.add(1);
                o.val = 1;
                o.enum_field = Letter.B;
            }
            report(o);
        }
    }

    /** Deletes the object. */
    public static class DeleteCustomObject extends Walker {
        public String object_id;

        @OnEntry
        void enter1(Root here) {
            SavableObject o = load(object_id, SavableObject.class);
            if (o != null) o.destroy();
        }
    }
}
