package io.walkerd.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;

import java.util.List;

/**
 * Everything one walker writes, applied by {@link Store#commit} as one atomic unit. Versions make it safe under
 * concurrency: an update or delete names the version it read, and the whole change set is refused with
 * {@link CommitConflict} when any of them moved meanwhile.
 *
 * @param resetRoot     when not null, first delete every node, edge, object and walker document this root owns
 *                      except the root itself, and empty the root's edge list (a walker's {@code resetGraph()})
 * @param insertNodes   new nodes (version 1)
 * @param insertEdges   new edges (version 1)
 * @param updateNodes   changes to stored nodes
 * @param updateEdges   changes to stored edges
 * @param deleteNodes   stored nodes to delete
 * @param deleteEdges   stored edges to delete
 * @param insertObjects new savable objects (version 1)
 * @param updateObjects changes to stored objects
 * @param deleteObjects stored objects to delete
 * @param walkers       walker documents to write whole (inserted, or replacing the one with the same id): the tasks
 *                      a walker created, the outcome of a task or async call; no version is checked
 */
public record ChangeSet(Id resetRoot, List<NodeRecord> insertNodes, List<EdgeRecord> insertEdges,
                        List<NodeUpdate> updateNodes, List<EdgeUpdate> updateEdges,
                        List<Versioned> deleteNodes, List<Versioned> deleteEdges,
                        List<ObjectRecord> insertObjects, List<ObjectUpdate> updateObjects, List<Versioned> deleteObjects,
                        List<WalkerRecord> walkers) {

    public ChangeSet {
        insertNodes = List.copyOf(insertNodes);
        insertEdges = List.copyOf(insertEdges);
        updateNodes = List.copyOf(updateNodes);
        updateEdges = List.copyOf(updateEdges);
        deleteNodes = List.copyOf(deleteNodes);
        deleteEdges = List.copyOf(deleteEdges);
        insertObjects = List.copyOf(insertObjects);
        updateObjects = List.copyOf(updateObjects);
        deleteObjects = List.copyOf(deleteObjects);
        walkers = List.copyOf(walkers);
    }

    /** A change set of the graph alone. */
    public ChangeSet(Id resetRoot, List<NodeRecord> insertNodes, List<EdgeRecord> insertEdges,
                     List<NodeUpdate> updateNodes, List<EdgeUpdate> updateEdges,
                     List<Versioned> deleteNodes, List<Versioned> deleteEdges) {
        this(resetRoot, insertNodes, insertEdges, updateNodes, updateEdges, deleteNodes, deleteEdges,
                List.of(), List.of(), List.of(), List.of());
    }

    /** A change set that writes walker documents only. */
    public static ChangeSet ofWalkers(List<WalkerRecord> walkers) {
        return new ChangeSet(null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(), walkers);
    }

    public boolean isEmpty() {
        return resetRoot == null && insertNodes.isEmpty() && insertEdges.isEmpty() && updateNodes.isEmpty()
                && updateEdges.isEmpty() && deleteNodes.isEmpty() && deleteEdges.isEmpty() && insertObjects.isEmpty()
                && updateObjects.isEmpty() && deleteObjects.isEmpty() && walkers.isEmpty();
    }

    /**
     * A change to a stored node. Its fields and access (each null when unchanged) replace the stored ones only if
     * the stored version is still {@code version}. Edge ref ids are added and removed as a set, whatever the
     * version (two walkers adding edges to one node never conflict). Any change increments the version.
     */
    public record NodeUpdate(Id id, long version, ObjectNode archetype, ObjectNode access,
                             List<String> addEdges, List<String> removeEdges) {
        public NodeUpdate {
            addEdges = List.copyOf(addEdges);
            removeEdges = List.copyOf(removeEdges);
        }

        /** True when the update replaces fields or access, and so must find the version it read. */
        public boolean checksVersion() { return archetype != null || access != null; }
    }

    /** A change to a stored edge's fields and/or access (null when unchanged), only if its version is still {@code version}. */
    public record EdgeUpdate(Id id, long version, ObjectNode archetype, ObjectNode access) {}

    /** A change to a stored object's fields and/or access (null when unchanged), only if its version is still {@code version}. */
    public record ObjectUpdate(Id id, long version, ObjectNode archetype, ObjectNode access) {}

    /** A document to delete, only if its version is still {@code version}. */
    public record Versioned(Id id, long version) {}
}
