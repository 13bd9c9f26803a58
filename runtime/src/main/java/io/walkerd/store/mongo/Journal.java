package io.walkerd.store.mongo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;
import io.walkerd.store.ChangeSet;
import io.walkerd.store.EdgeRecord;
import io.walkerd.store.NodeRecord;
import io.walkerd.store.ObjectRecord;
import io.walkerd.store.WalkerRecord;
import io.walkerd.store.StoredJson;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A change set as one JSON document: what a standalone MongoDB keeps while the change set is being applied. */
final class Journal {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Journal() {}

    static ObjectNode toJson(ChangeSet c) {
        ObjectNode o = F.objectNode();
        if (c.resetRoot() != null) o.put("reset_root", c.resetRoot().hex());
        ArrayNode a = o.putArray("insert_nodes");
        c.insertNodes().forEach(n -> a.add(StoredJson.node(n)));
        ArrayNode b = o.putArray("insert_edges");
        c.insertEdges().forEach(e -> b.add(StoredJson.edge(e)));
        ArrayNode un = o.putArray("update_nodes");
        for (ChangeSet.NodeUpdate u : c.updateNodes()) {
            ObjectNode x = un.addObject().put("_id", u.id().hex()).put("version", u.version());
            if (u.archetype() != null) x.set("archetype", u.archetype());
            if (u.access() != null) x.set("access", u.access());
            u.addEdges().forEach(x.putArray("add_edges")::add);
            u.removeEdges().forEach(x.putArray("remove_edges")::add);
        }
        ArrayNode ue = o.putArray("update_edges");
        for (ChangeSet.EdgeUpdate u : c.updateEdges()) {
            ObjectNode x = ue.addObject().put("_id", u.id().hex()).put("version", u.version());
            if (u.archetype() != null) x.set("archetype", u.archetype());
            if (u.access() != null) x.set("access", u.access());
        }
        ArrayNode dn = o.putArray("delete_nodes");
        c.deleteNodes().forEach(d -> dn.addObject().put("_id", d.id().hex()).put("version", d.version()));
        ArrayNode de = o.putArray("delete_edges");
        c.deleteEdges().forEach(d -> de.addObject().put("_id", d.id().hex()).put("version", d.version()));
        ArrayNode io = o.putArray("insert_objects");
        c.insertObjects().forEach(x -> io.add(StoredJson.object(x)));
        ArrayNode uo = o.putArray("update_objects");
        for (ChangeSet.ObjectUpdate u : c.updateObjects()) {
            ObjectNode x = uo.addObject().put("_id", u.id().hex()).put("version", u.version());
            if (u.archetype() != null) x.set("archetype", u.archetype());
            if (u.access() != null) x.set("access", u.access());
        }
        ArrayNode dob = o.putArray("delete_objects");
        c.deleteObjects().forEach(d -> dob.addObject().put("_id", d.id().hex()).put("version", d.version()));
        ArrayNode wk = o.putArray("walkers");
        c.walkers().forEach(w -> wk.add(StoredJson.walker(w)));
        return o;
    }

    static ChangeSet fromJson(JsonNode o) {
        Id reset = o.hasNonNull("reset_root") ? Id.of(o.get("reset_root").asText()) : null;
        List<NodeRecord> insertNodes = list(o.path("insert_nodes"), StoredJson::node);
        List<EdgeRecord> insertEdges = list(o.path("insert_edges"), StoredJson::edge);
        List<ChangeSet.NodeUpdate> updateNodes = list(o.path("update_nodes"), x -> new ChangeSet.NodeUpdate(
                id(x), x.path("version").asLong(), object(x.get("archetype")), object(x.get("access")),
                texts(x.path("add_edges")), texts(x.path("remove_edges"))));
        List<ChangeSet.EdgeUpdate> updateEdges = list(o.path("update_edges"), x -> new ChangeSet.EdgeUpdate(
                id(x), x.path("version").asLong(), object(x.get("archetype")), object(x.get("access"))));
        List<ChangeSet.Versioned> deleteNodes = list(o.path("delete_nodes"), x -> new ChangeSet.Versioned(id(x), x.path("version").asLong()));
        List<ChangeSet.Versioned> deleteEdges = list(o.path("delete_edges"), x -> new ChangeSet.Versioned(id(x), x.path("version").asLong()));
        List<ObjectRecord> insertObjects = list(o.path("insert_objects"), StoredJson::objectRecord);
        List<ChangeSet.ObjectUpdate> updateObjects = list(o.path("update_objects"), x -> new ChangeSet.ObjectUpdate(
                id(x), x.path("version").asLong(), object(x.get("archetype")), object(x.get("access"))));
        List<ChangeSet.Versioned> deleteObjects = list(o.path("delete_objects"), x -> new ChangeSet.Versioned(id(x), x.path("version").asLong()));
        List<WalkerRecord> walkers = list(o.path("walkers"), StoredJson::walkerRecord);
        return new ChangeSet(reset, insertNodes, insertEdges, updateNodes, updateEdges, deleteNodes, deleteEdges,
                insertObjects, updateObjects, deleteObjects, walkers);
    }

    private static Id id(JsonNode x) { return Id.of(x.get("_id").asText()); }

    private static ObjectNode object(JsonNode v) { return v instanceof ObjectNode o ? o : null; }

    private static List<String> texts(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static <T> List<T> list(JsonNode a, Function<JsonNode, T> f) {
        List<T> out = new ArrayList<>();
        a.forEach(x -> out.add(f.apply(x)));
        return out;
    }
}
