package io.walkerd.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.walkerd.store.Store.Exported;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The project board of the {@code graph} rows, {@code projects} projects of {@code tasks} tasks each, as store
 * documents cloned from a template that the example application wrote itself: a store holding one user, one
 * {@code create_project} and one {@code add_task}, exported. Every clone keeps the template's layout (jac-cloud's
 * fields, the walkers' archetype fields, the ref id forms); only ids, edge lists, versions, the project's name, the
 * task's title and the {@code Holds} position change. Importing the result gives {@code walk_projects} and
 * {@code add_task} the same documents that thousands of {@code add_task} calls would have left, in seconds.
 */
final class GraphTree {
    /** The built documents, the owner's root id and the ref ids ({@code n:Project:<id>}) of the projects, in order. */
    record Built(List<Exported> documents, String rootId, List<String> projectRefs) {
        int nodes() { return count("node"); }

        int edges() { return count("edge"); }

        private int count(String collection) {
            int n = 0;
            for (Exported e : documents) if (e.collection().equals(collection)) n++;
            return n;
        }
    }

    private GraphTree() {}

    /**
     * Clones the template. It must hold exactly one user (the owner, by {@code email}), one {@code Project} node,
     * one {@code Task} node, the edge from the owner's root to the project and the edge from the project to the
     * task; other documents (the store's own roots) are copied unchanged.
     */
    static Built build(List<Exported> template, String email, int projects, int tasks) {
        ObjectNode user = null;
        for (Exported e : template) {
            if (e.collection().equals("user") && email.equals(e.document().path("email").asText())) user = e.document();
        }
        if (user == null) throw new IllegalArgumentException("the template has no user " + email);
        String rootId = user.path("root_id").asText();
        ObjectNode root = null, project = null, task = null, rootEdge = null, holds = null;
        List<Exported> others = new ArrayList<>();
        for (Exported e : template) {
            ObjectNode d = e.document();
            String id = d.path("_id").asText();
            switch (e.collection()) {
                case "node" -> {
                    if (id.equals(rootId)) root = d;
                    else if (d.path("name").asText().equals("Project")) project = only(project, d, "Project node");
                    else if (d.path("name").asText().equals("Task")) task = only(task, d, "Task node");
                    else others.add(e);
                }
                case "edge" -> {
                    if (d.path("root").asText().equals(rootId) && d.path("source").asText().endsWith(":" + rootId)) rootEdge = only(rootEdge, d, "edge from the root");
                    else if (d.path("root").asText().equals(rootId)) holds = only(holds, d, "edge from the project");
                    else others.add(e);
                }
                case "user" -> {
                    if (d != user) throw new IllegalArgumentException("the template has more than one user");
                }
                default -> others.add(e);
            }
        }
        if (root == null || project == null || task == null || rootEdge == null || holds == null) {
            throw new IllegalArgumentException("the template needs the owner's root, one Project, one Task and the two edges between them");
        }
        String p = project.path("_id").asText(), t = task.path("_id").asText();
        String g = rootEdge.path("_id").asText(), h = holds.path("_id").asText();

        Ids ids = new Ids();
        List<Exported> out = new ArrayList<>(others);
        out.add(new Exported("user", user.deepCopy()));
        List<String> projectIds = new ArrayList<>(), rootEdgeIds = new ArrayList<>();
        for (int i = 0; i < projects; i++) {
            projectIds.add(ids.next());
            rootEdgeIds.add(ids.next());
        }
        ObjectNode newRoot = root.deepCopy();
        newRoot.set("edges", expand(root.path("edges"), g, rootEdgeIds, Map.of()));
        version(newRoot);
        out.add(new Exported("node", newRoot));

        List<String> projectRefs = new ArrayList<>();
        for (int i = 0; i < projects; i++) {
            String pi = projectIds.get(i), gi = rootEdgeIds.get(i);
            List<String> taskIds = new ArrayList<>(), holdsIds = new ArrayList<>();
            for (int j = 0; j < tasks; j++) {
                taskIds.add(ids.next());
                holdsIds.add(ids.next());
            }
            Map<String, String> swap = Map.of(p, pi, g, gi);
            ObjectNode pd = (ObjectNode) replaced(project, swap);
            pd.set("edges", expand(project.path("edges"), h, holdsIds, swap));
            ((ObjectNode) pd.path("archetype")).put("name", "project " + i);
            version(pd);
            out.add(new Exported("node", pd));
            projectRefs.add(refTo(rootEdge.path("target").asText(), p, pi));

            ObjectNode gd = (ObjectNode) replaced(rootEdge, swap);
            version(gd);
            out.add(new Exported("edge", gd));

            for (int j = 0; j < tasks; j++) {
                Map<String, String> swapTask = Map.of(p, pi, t, taskIds.get(j), h, holdsIds.get(j));
                ObjectNode td = (ObjectNode) replaced(task, swapTask);
                ((ObjectNode) td.path("archetype")).put("title", "task " + i + "." + j);
                version(td);
                out.add(new Exported("node", td));
                ObjectNode hd = (ObjectNode) replaced(holds, swapTask);
                if (hd.path("archetype").has("position")) ((ObjectNode) hd.path("archetype")).put("position", j);
                version(hd);
                out.add(new Exported("edge", hd));
            }
        }
        return new Built(out, rootId, projectRefs);
    }

    private static ObjectNode only(ObjectNode seen, ObjectNode d, String what) {
        if (seen != null) throw new IllegalArgumentException("the template has more than one " + what);
        return d;
    }

    /** {@code ref} (e.g. {@code n:Project:<old>}) naming {@code id} instead of {@code old}. */
    private static String refTo(String ref, String old, String id) {
        if (!ref.contains(old)) throw new IllegalArgumentException(ref + " does not name " + old);
        return ref.replace(old, id);
    }

    /** An edge list with the entry naming {@code many} repeated once per id of {@code ids}; the others swapped. */
    private static ArrayNode expand(JsonNode edges, String many, List<String> ids, Map<String, String> swap) {
        ArrayNode out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        boolean found = false;
        for (JsonNode e : edges) {
            String ref = e.asText();
            if (ref.contains(many)) {
                found = true;
                for (String id : ids) out.add(ref.replace(many, id));
            } else {
                out.add(replaced(e, swap));
            }
        }
        if (!found) throw new IllegalArgumentException("no edge " + many + " in the template's list " + edges);
        return out;
    }

    /** A deep copy with every occurrence of a key of {@code swap} in a string replaced by its value. */
    private static JsonNode replaced(JsonNode n, Map<String, String> swap) {
        if (n.isTextual()) {
            String s = n.asText();
            for (var en : swap.entrySet()) s = s.replace(en.getKey(), en.getValue());
            return TextNode.valueOf(s);
        }
        if (n.isObject()) {
            ObjectNode o = ((ObjectNode) n).objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                var f = it.next();
                o.set(f.getKey(), replaced(f.getValue(), swap));
            }
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = ((ArrayNode) n).arrayNode();
            for (JsonNode e : n) a.add(replaced(e, swap));
            return a;
        }
        return n.deepCopy();
    }

    private static void version(ObjectNode d) {
        if (d.has("version")) d.put("version", 1);
    }

    /** Fresh 24-hex ids, in order; {@code be7c} and a counter, so they never meet the template's random ones. */
    private static final class Ids {
        private long next;

        String next() { return String.format("be7c%020x", next++); }
    }
}
