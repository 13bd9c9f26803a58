package io.walkerd.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link Store} does, written against the interface alone: each backend's test extends this and says
 * how to make a fresh, empty store.
 */
public abstract class StoreContract {
    protected static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir
    protected Path dir;
    protected Store store;
    private final List<Store> opened = new ArrayList<>();

    /**
     * A new, empty store. {@code folder} is a fresh folder the store may keep its files in; each call gets its own
     * and must give a store that shares nothing with the others.
     */
    protected abstract Store newStore(Path folder);

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void closeStores() {
        for (Store s : opened) s.close();
    }

    /** Another fresh store, closed after the test. */
    protected Store open() {
        Store s = newStore(dir.resolve("store-" + opened.size()));
        opened.add(s);
        return s;
    }

    // ---- graph: inserts and loads ------------------------------------------------------------------------------

    @Test
    void insertedNodesAndEdgesLoadByIdInOneCall() {
        Id root = newRoot();
        NodeRecord a = node(root, "a");
        NodeRecord b = node(root, "b");
        EdgeRecord ab = edge(root, a, b);
        store.commit(inserts(List.of(a, b), List.of(ab)));

        List<NodeRecord> nodes = store.nodes(List.of(a.id(), b.id(), Id.random()));
        assertThat(nodes).extracting(NodeRecord::id).containsExactlyInAnyOrder(a.id(), b.id());
        NodeRecord loaded = byId(nodes, a.id());
        assertThat(loaded.name()).isEqualTo("Item");
        assertThat(loaded.root()).isEqualTo(root);
        assertThat(loaded.archetype()).isEqualTo(a.archetype());
        assertThat(loaded.access()).isEqualTo(a.access());
        assertThat(loaded.edges()).isEqualTo(a.edges());

        List<EdgeRecord> edges = store.edges(List.of(ab.id()));
        assertThat(edges).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo(ab.source());
            assertThat(e.target()).isEqualTo(ab.target());
            assertThat(e.undirected()).isFalse();
            assertThat(e.archetype()).isEqualTo(ab.archetype());
        });
    }

    @Test
    void twoThousandNodesLoadInOneCall() {
        Id root = newRoot();
        List<NodeRecord> many = IntStream.range(0, 2_000).mapToObj(i -> node(root, "n" + i)).toList();
        store.commit(inserts(many, List.of()));

        List<Id> ids = new ArrayList<>(many.stream().map(NodeRecord::id).toList());
        ids.add(Id.random());
        assertThat(store.nodes(ids)).extracting(NodeRecord::id)
                .containsExactlyInAnyOrderElementsOf(many.stream().map(NodeRecord::id).toList());
    }

    @Test
    void anEmptyIdListLoadsNothing() {
        assertThat(store.nodes(List.of())).isEmpty();
        assertThat(store.edges(List.of())).isEmpty();
    }

    @Test
    void insertedDocumentsStartAtVersionOne() {
        Id root = newRoot();
        NodeRecord n = withVersion(node(root, "x"), 7);
        store.commit(inserts(List.of(n), List.of()));
        assertThat(load(n.id()).version()).isEqualTo(1);
    }

    @Test
    void ensureRootInsertsARootOnceAndLeavesAnExistingOneAlone() {
        Id root = Id.random();
        store.ensureRoot(StoredJson.root(root, "NO_ACCESS"));
        store.ensureRoot(StoredJson.root(root, "WRITE"));

        NodeRecord stored = load(root);
        assertThat(stored.isRoot()).isTrue();
        assertThat(stored.root()).isEqualTo(root);
        assertThat(stored.access().path("all").asText()).isEqualTo("NO_ACCESS");
    }

    // ---- graph: updates, deletes, versions ------------------------------------------------------------------------

    @Test
    void anUpdateReplacesFieldsAndAccessAndIncrementsTheVersion() {
        Id root = newRoot();
        NodeRecord n = node(root, "before");
        store.commit(inserts(List.of(n), List.of()));
        ObjectNode fields = F.objectNode().put("label", "after");
        ObjectNode access = access("READ");

        store.commit(updates(new ChangeSet.NodeUpdate(n.id(), 1, fields, access, List.of(), List.of())));

        NodeRecord stored = load(n.id());
        assertThat(stored.archetype()).isEqualTo(fields);
        assertThat(stored.access()).isEqualTo(access);
        assertThat(stored.version()).isEqualTo(2);
    }

    @Test
    void anUpdateOfAMovedVersionConflictsAndWritesNothing() {
        Id root = newRoot();
        NodeRecord n = node(root, "original");
        store.commit(inserts(List.of(n), List.of()));
        store.commit(updates(setLabel(n.id(), 1, "first")));

        assertThatThrownBy(() -> store.commit(updates(setLabel(n.id(), 1, "stale"))))
                .isInstanceOf(CommitConflict.class);
        assertThat(load(n.id()).archetype().path("label").asText()).isEqualTo("first");
        assertThat(load(n.id()).version()).isEqualTo(2);
    }

    @Test
    void anUpdateOfADeletedNodeConflicts() {
        Id root = newRoot();
        NodeRecord n = node(root, "gone");
        store.commit(inserts(List.of(n), List.of()));
        store.commit(deletes(List.of(new ChangeSet.Versioned(n.id(), 1)), List.of()));

        assertThatThrownBy(() -> store.commit(updates(setLabel(n.id(), 1, "late"))))
                .isInstanceOf(CommitConflict.class);
        assertThat(store.nodes(List.of(n.id()))).isEmpty();
    }

    @Test
    void anEdgeOnlyUpdateOfADeletedNodeConflicts() {
        Id root = newRoot();
        NodeRecord n = node(root, "gone");
        store.commit(inserts(List.of(n), List.of()));
        store.commit(deletes(List.of(new ChangeSet.Versioned(n.id(), 1)), List.of()));

        assertThatThrownBy(() -> store.commit(updates(addEdges(n.id(), 1, "e:Link:" + Id.random()))))
                .isInstanceOf(CommitConflict.class);
        assertThat(store.nodes(List.of(n.id()))).isEmpty();
    }

    @Test
    void aDeleteRemovesTheDocument() {
        Id root = newRoot();
        NodeRecord a = node(root, "a");
        NodeRecord b = node(root, "b");
        EdgeRecord ab = edge(root, a, b);
        store.commit(inserts(List.of(a, b), List.of(ab)));

        store.commit(deletes(List.of(new ChangeSet.Versioned(b.id(), 1)), List.of(new ChangeSet.Versioned(ab.id(), 1))));

        assertThat(store.nodes(List.of(a.id(), b.id()))).extracting(NodeRecord::id).containsExactly(a.id());
        assertThat(store.edges(List.of(ab.id()))).isEmpty();
    }

    @Test
    void aDeleteOfAMovedVersionConflictsAndWritesNothing() {
        Id root = newRoot();
        NodeRecord n = node(root, "kept");
        store.commit(inserts(List.of(n), List.of()));
        store.commit(updates(setLabel(n.id(), 1, "changed")));

        assertThatThrownBy(() -> store.commit(deletes(List.of(new ChangeSet.Versioned(n.id(), 1)), List.of())))
                .isInstanceOf(CommitConflict.class);
        assertThat(load(n.id()).archetype().path("label").asText()).isEqualTo("changed");
    }

    @Test
    void aDeleteOfAnAlreadyDeletedNodeConflicts() {
        Id root = newRoot();
        NodeRecord n = node(root, "twice");
        store.commit(inserts(List.of(n), List.of()));
        store.commit(deletes(List.of(new ChangeSet.Versioned(n.id(), 1)), List.of()));

        assertThatThrownBy(() -> store.commit(deletes(List.of(new ChangeSet.Versioned(n.id(), 1)), List.of())))
                .isInstanceOf(CommitConflict.class);
    }

    @Test
    void anEdgeUpdateOfAMovedVersionConflictsAndWritesNothing() {
        Id root = newRoot();
        NodeRecord a = node(root, "a");
        NodeRecord b = node(root, "b");
        EdgeRecord ab = edge(root, a, b);
        store.commit(inserts(List.of(a, b), List.of(ab)));
        ObjectNode first = F.objectNode().put("weight", 1);
        store.commit(edgeUpdate(new ChangeSet.EdgeUpdate(ab.id(), 1, first, null)));

        assertThatThrownBy(() -> store.commit(edgeUpdate(
                new ChangeSet.EdgeUpdate(ab.id(), 1, F.objectNode().put("weight", 2), null))))
                .isInstanceOf(CommitConflict.class);
        EdgeRecord stored = store.edges(List.of(ab.id())).get(0);
        assertThat(stored.archetype()).isEqualTo(first);
        assertThat(stored.version()).isEqualTo(2);
    }

    @Test
    void edgeAddsFromTwoChangeSetsThatReadTheSameVersionAreBothKept() {
        Id root = newRoot();
        String first = "e:Link:" + Id.random();
        String second = "e:Link:" + Id.random();

        store.commit(updates(addEdges(root, 1, first)));
        store.commit(updates(addEdges(root, 1, second)));

        assertThat(load(root).edges()).containsExactly(first, second);
    }

    @Test
    void anEdgeOnlyUpdateIncrementsTheVersion() {
        Id root = newRoot();
        store.commit(updates(addEdges(root, 1, "e:Link:" + Id.random())));
        assertThat(load(root).version()).isEqualTo(2);
    }

    @Test
    void edgeRefsAreAddedAndRemovedAsASet() {
        Id root = newRoot();
        String kept = "e:Link:" + Id.random();
        String dropped = "e:Link:" + Id.random();
        store.commit(updates(addEdges(root, 1, kept, dropped)));

        store.commit(updates(new ChangeSet.NodeUpdate(root, 1, null, null, List.of(kept), List.of(dropped))));

        assertThat(load(root).edges()).containsExactly(kept);
    }

    @Test
    void aChangeSetWithOneConflictingUpdateWritesNoneOfItsChanges() {
        Id root = newRoot();
        NodeRecord moved = node(root, "moved");
        NodeRecord fine = node(root, "fine");
        NodeRecord doomed = node(root, "doomed");
        store.commit(inserts(List.of(moved, fine, doomed), List.of()));
        store.commit(updates(setLabel(moved.id(), 1, "by someone else")));
        Map<String, ObjectNode> before = exportById(store);

        NodeRecord fresh = node(root, "fresh");
        EdgeRecord freshEdge = edge(root, fine, fresh);
        ChangeSet mixed = new ChangeSet(null, List.of(fresh), List.of(freshEdge),
                List.of(setLabel(fine.id(), 1, "would change"), setLabel(moved.id(), 1, "stale"),
                        addEdges(root, 1, ref(freshEdge))),
                List.of(), List.of(new ChangeSet.Versioned(doomed.id(), 1)), List.of());
        assertThatThrownBy(() -> store.commit(mixed)).isInstanceOf(CommitConflict.class);

        assertThat(store.nodes(List.of(fresh.id()))).isEmpty();
        assertThat(store.edges(List.of(freshEdge.id()))).isEmpty();
        assertThat(exportById(store)).isEqualTo(before);
    }

    @Test
    void aConflictingChangeSetDoesNotStopAnotherFromCommitting() {
        Id root = newRoot();
        NodeRecord n = node(root, "n");
        store.commit(inserts(List.of(n), List.of()));
        store.commit(updates(setLabel(n.id(), 1, "moved")));

        assertThatThrownBy(() -> store.commit(updates(setLabel(n.id(), 1, "stale")))).isInstanceOf(CommitConflict.class);
        store.commit(updates(setLabel(n.id(), 2, "current")));

        assertThat(load(n.id()).archetype().path("label").asText()).isEqualTo("current");
    }

    // ---- reset ---------------------------------------------------------------------------------------------------

    @Test
    void aResetDeletesEverythingTheRootOwnsButTheRootAndEmptiesItsEdges() {
        Id root = newRoot();
        NodeRecord a = node(root, "a");
        EdgeRecord ra = edge(root, rootRecord(root), a);
        store.commit(new ChangeSet(null, List.of(a), List.of(ra), List.of(addEdges(root, 1, ref(ra))),
                List.of(), List.of(), List.of()));
        store.importAll(List.of(walkerDocument(root)));
        Id other = newRoot();
        NodeRecord elsewhere = node(other, "someone else's");
        store.commit(inserts(List.of(elsewhere), List.of()));

        store.commit(reset(root));

        assertThat(store.nodes(List.of(root, a.id()))).extracting(NodeRecord::id).containsExactly(root);
        assertThat(store.edges(List.of(ra.id()))).isEmpty();
        assertThat(load(root).edges()).isEmpty();
        assertThat(store.countOwned(root)).isEqualTo(1);
        assertThat(store.nodes(List.of(elsewhere.id()))).hasSize(1);
        assertThat(store.countOwned(other)).isEqualTo(2);
    }

    @Test
    void aResetComesBeforeTheInsertsAndUpdatesOfItsChangeSet() {
        Id root = newRoot();
        NodeRecord old = node(root, "old");
        store.commit(inserts(List.of(old), List.of()));
        NodeRecord fresh = node(root, "fresh");
        EdgeRecord link = edge(root, rootRecord(root), fresh);

        store.commit(new ChangeSet(root, List.of(fresh), List.of(link), List.of(addEdges(root, 1, ref(link))),
                List.of(), List.of(), List.of()));

        assertThat(store.nodes(List.of(old.id(), fresh.id()))).extracting(NodeRecord::id).containsExactly(fresh.id());
        assertThat(store.edges(List.of(link.id()))).hasSize(1);
        assertThat(load(root).edges()).containsExactly(ref(link));
    }

    @Test
    void aResetInAConflictingChangeSetDeletesNothing() {
        Id root = newRoot();
        NodeRecord n = node(root, "n");
        store.commit(inserts(List.of(n), List.of()));
        store.commit(updates(setLabel(n.id(), 1, "moved")));

        ChangeSet resetAndStale = new ChangeSet(root, List.of(), List.of(), List.of(setLabel(n.id(), 1, "stale")),
                List.of(), List.of(), List.of());
        assertThatThrownBy(() -> store.commit(resetAndStale)).isInstanceOf(CommitConflict.class);

        assertThat(store.countOwned(root)).isEqualTo(2);
    }

    @Test
    void countOwnedCountsNodesEdgesAndWalkersWithTheRoot() {
        Id root = newRoot();
        NodeRecord a = node(root, "a");
        NodeRecord b = node(root, "b");
        store.commit(inserts(List.of(a, b), List.of(edge(root, a, b))));
        store.importAll(List.of(walkerDocument(root)));

        assertThat(store.countOwned(root)).isEqualTo(5);
        assertThat(store.countOwned(Id.random())).isZero();
    }

    // ---- users ---------------------------------------------------------------------------------------------------

    @Test
    void aCreatedUserIsFoundByIdAndByEmailWithItsRoot() {
        UserRecord alice = user("alice@example.com");

        assertThat(store.createUser(alice, StoredJson.root(alice.rootId(), "NO_ACCESS"))).isTrue();

        assertThat(store.userById(alice.id())).contains(alice);
        assertThat(store.userByEmail("alice@example.com")).contains(alice);
        assertThat(load(alice.rootId()).isRoot()).isTrue();
        assertThat(store.userByEmail("bob@example.com")).isEmpty();
        assertThat(store.userById(Id.random())).isEmpty();
    }

    @Test
    void aTakenEmailRefusesTheSecondUserAndWritesNothing() {
        UserRecord first = user("same@example.com");
        UserRecord second = user("same@example.com");
        store.createUser(first, StoredJson.root(first.rootId(), "NO_ACCESS"));

        assertThat(store.createUser(second, StoredJson.root(second.rootId(), "NO_ACCESS"))).isFalse();

        assertThat(store.userById(second.id())).isEmpty();
        assertThat(store.nodes(List.of(second.rootId()))).isEmpty();
        assertThat(store.userByEmail("same@example.com")).contains(first);
    }

    @Test
    void changingThePasswordReplacesTheHashAndBumpsTheTokenVersion() {
        UserRecord u = user("carol@example.com");
        store.createUser(u, StoredJson.root(u.rootId(), "NO_ACCESS"));

        assertThat(store.changePassword(u.id(), "new-hash", 0)).isTrue();

        UserRecord stored = store.userById(u.id()).orElseThrow();
        assertThat(stored.passwordHash()).isEqualTo("new-hash");
        assertThat(stored.tokenVersion()).isEqualTo(1);
        assertThat(stored.extra()).isEqualTo(u.extra());
    }

    @Test
    void changingThePasswordWithAStaleTokenVersionIsRefused() {
        UserRecord u = user("dave@example.com");
        store.createUser(u, StoredJson.root(u.rootId(), "NO_ACCESS"));
        store.changePassword(u.id(), "second", 0);

        assertThat(store.changePassword(u.id(), "third", 0)).isFalse();

        UserRecord stored = store.userById(u.id()).orElseThrow();
        assertThat(stored.passwordHash()).isEqualTo("second");
        assertThat(stored.tokenVersion()).isEqualTo(1);
    }

    @Test
    void changingThePasswordOfAnUnknownUserIsRefused() {
        assertThat(store.changePassword(Id.random(), "hash", 0)).isFalse();
    }

    @Test
    void markingAnAdminSetsOnlyThatFlag() {
        UserRecord u = user("erin@example.com");
        store.createUser(u, StoredJson.root(u.rootId(), "NO_ACCESS"));

        assertThat(store.markAdmin("erin@example.com", true)).isTrue();
        UserRecord marked = store.userById(u.id()).orElseThrow();
        assertThat(marked.admin()).isTrue();
        assertThat(marked).isEqualTo(new UserRecord(u.id(), u.email(), u.passwordHash(), u.rootId(), u.activated(), true,
                u.tokenVersion(), u.extra()));

        assertThat(store.markAdmin("erin@example.com", false)).isTrue();
        assertThat(store.userById(u.id()).orElseThrow().admin()).isFalse();
    }

    @Test
    void markingAnUnknownEmailAsAdminIsRefused() {
        assertThat(store.markAdmin("nobody@example.com", true)).isFalse();
    }

    // ---- export and import ----------------------------------------------------------------------------------------

    @Test
    void exportThenImportIntoAFreshStoreGivesIdenticalDocuments() {
        fillWithEveryKindOfDocument(store);
        List<Store.Exported> exported = new ArrayList<>();
        store.exportAll(exported::add);

        Store fresh = open();
        fresh.importAll(exported);

        assertThat(exportById(fresh)).isEqualTo(exportById(store));
        assertThat(exported).extracting(Store.Exported::collection).containsSubsequence(Store.COLLECTIONS);
    }

    @Test
    void anExportListsTheCollectionsInOrder() {
        fillWithEveryKindOfDocument(store);
        List<String> order = new ArrayList<>();
        store.exportAll(e -> {
            if (order.isEmpty() || !order.get(order.size() - 1).equals(e.collection())) order.add(e.collection());
        });
        assertThat(order).isEqualTo(Store.COLLECTIONS);
    }

    @Test
    void anImportReplacesDocumentsWithTheSameId() {
        Id root = newRoot();
        NodeRecord n = node(root, "old");
        store.commit(inserts(List.of(n), List.of()));
        ObjectNode replacement = StoredJson.node(new NodeRecord(n.id(), "Item", root, n.access(), List.of(),
                F.objectNode().put("label", "imported"), 5));

        store.importAll(List.of(new Store.Exported("node", replacement)));

        NodeRecord stored = load(n.id());
        assertThat(stored.archetype().path("label").asText()).isEqualTo("imported");
        assertThat(stored.version()).isEqualTo(5);
        store.commit(updates(setLabel(n.id(), 5, "after import")));
        assertThat(load(n.id()).version()).isEqualTo(6);
    }

    @Test
    void importedUsersCanBeFoundByEmail() {
        UserRecord u = user("erin@example.com");
        store.importAll(List.of(new Store.Exported("user", StoredJson.user(u))));
        assertThat(store.userByEmail("erin@example.com")).contains(u);
    }

    // ---- concurrency ----------------------------------------------------------------------------------------------

    @Test
    void concurrentUpdatesWithRetriesNeverLoseAnAcknowledgedWrite() throws Exception {
        Id root = newRoot();
        NodeRecord counter = node(root, "counter");
        store.commit(inserts(List.of(counter), List.of()));
        int threads = 8;
        int perThread = 20;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger conflicts = new AtomicInteger();

        runTogether(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                String key = "t" + t + "-" + i;
                NodeRecord created = node(root, key);
                while (true) {
                    // read, change, commit with the version read; on a conflict read again, as a walker re-runs
                    NodeRecord current = load(counter.id());
                    ObjectNode fields = current.archetype().deepCopy();
                    fields.put("count", fields.path("count").asInt() + 1);
                    fields.with("keys").put(key, true);
                    try {
                        store.commit(new ChangeSet(null, List.of(created), List.of(),
                                List.of(new ChangeSet.NodeUpdate(counter.id(), current.version(), fields, null,
                                        List.of(), List.of())), List.of(), List.of(), List.of()));
                        acknowledged.add(key);
                        break;
                    } catch (CommitConflict retry) {
                        conflicts.incrementAndGet();
                    }
                }
            }
        });

        NodeRecord end = load(counter.id());
        assertThat(acknowledged).hasSize(threads * perThread);
        assertThat(end.archetype().path("count").asInt()).isEqualTo(threads * perThread);
        List<String> keys = new ArrayList<>();
        end.archetype().path("keys").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrderElementsOf(acknowledged);
        assertThat(end.version()).isEqualTo(1 + threads * perThread);
        assertThat(store.countOwned(root)).isEqualTo(2 + threads * perThread);
    }

    @Test
    void concurrentEdgeAddsToOneNodeAreAllKeptWithoutConflicts() throws Exception {
        Id root = newRoot();
        int threads = 16;
        int perThread = 20;
        Set<String> added = ConcurrentHashMap.newKeySet();

        runTogether(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                String ref = "e:Link:" + Id.random();
                store.commit(updates(addEdges(root, 1, ref)));
                added.add(ref);
            }
        });

        assertThat(load(root).edges()).containsExactlyInAnyOrderElementsOf(added).hasSize(threads * perThread);
    }

    @Test
    void concurrentDeletesOfOneNodeLetExactlyOneSucceed() throws Exception {
        Id root = newRoot();
        NodeRecord n = node(root, "contested");
        store.commit(inserts(List.of(n), List.of()));
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();

        runTogether(8, t -> {
            try {
                store.commit(deletes(List.of(new ChangeSet.Versioned(n.id(), 1)), List.of()));
                succeeded.incrementAndGet();
            } catch (CommitConflict expected) {
                refused.incrementAndGet();
            }
        });

        assertThat(succeeded.get()).isEqualTo(1);
        assertThat(refused.get()).isEqualTo(7);
    }

    // ---- savable objects ----------------------------------------------------------------------------------------

    @Test
    void insertedObjectsLoadByIdInOneCallAtVersionOne() {
        Id root = newRoot();
        ObjectRecord a = object(root, "a");
        ObjectRecord b = object(root, "b");
        store.commit(objects(a, new ObjectRecord(b.id(), b.name(), b.root(), b.access(), b.archetype(), 9)));

        List<ObjectRecord> found = store.objects(List.of(a.id(), b.id(), Id.random()));
        assertThat(found).extracting(ObjectRecord::id).containsExactlyInAnyOrder(a.id(), b.id());
        ObjectRecord loaded = found.stream().filter(o -> o.id().equals(a.id())).findFirst().orElseThrow();
        assertThat(loaded.name()).isEqualTo("Saved");
        assertThat(loaded.root()).isEqualTo(root);
        assertThat(loaded.archetype()).isEqualTo(a.archetype());
        assertThat(loaded.access()).isEqualTo(a.access());
        assertThat(found).extracting(ObjectRecord::version).containsOnly(1L);
    }

    @Test
    void anObjectUpdateReplacesFieldsAndAccessAndIncrementsTheVersion() {
        Id root = newRoot();
        ObjectRecord o = object(root, "a");
        store.commit(objects(o));

        store.commit(objectChanges(List.of(new ChangeSet.ObjectUpdate(o.id(), 1, F.objectNode().put("label", "b"), access("READ"))), List.of()));

        ObjectRecord loaded = store.objects(List.of(o.id())).get(0);
        assertThat(loaded.archetype().path("label").asText()).isEqualTo("b");
        assertThat(loaded.access().path("all").asText()).isEqualTo("READ");
        assertThat(loaded.version()).isEqualTo(2);
    }

    @Test
    void anObjectUpdateOfAMovedVersionConflictsAndWritesNothingOfItsChangeSet() {
        Id root = newRoot();
        ObjectRecord o = object(root, "a");
        store.commit(objects(o));
        store.commit(objectChanges(List.of(new ChangeSet.ObjectUpdate(o.id(), 1, F.objectNode().put("label", "first"), null)), List.of()));
        NodeRecord n = node(root, "beside");

        ChangeSet stale = new ChangeSet(null, List.of(n), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(new ChangeSet.ObjectUpdate(o.id(), 1, F.objectNode().put("label", "stale"), null)), List.of(), List.of());
        assertThatThrownBy(() -> store.commit(stale)).isInstanceOf(CommitConflict.class);

        assertThat(store.objects(List.of(o.id())).get(0).archetype().path("label").asText()).isEqualTo("first");
        assertThat(store.nodes(List.of(n.id()))).isEmpty();
    }

    @Test
    void anObjectDeleteRemovesItAndADeleteOfAMovedVersionConflicts() {
        Id root = newRoot();
        ObjectRecord a = object(root, "a");
        ObjectRecord b = object(root, "b");
        store.commit(objects(a, b));
        store.commit(objectChanges(List.of(new ChangeSet.ObjectUpdate(b.id(), 1, F.objectNode().put("label", "moved"), null)), List.of()));

        store.commit(objectChanges(List.of(), List.of(new ChangeSet.Versioned(a.id(), 1))));
        assertThatThrownBy(() -> store.commit(objectChanges(List.of(), List.of(new ChangeSet.Versioned(b.id(), 1)))))
                .isInstanceOf(CommitConflict.class);

        assertThat(store.objects(List.of(a.id(), b.id()))).extracting(ObjectRecord::id).containsExactly(b.id());
    }

    @Test
    void aResetDeletesTheRootsObjectsAndCountOwnedCountsThem() {
        Id root = newRoot();
        Id other = newRoot();
        ObjectRecord mine = object(root, "mine");
        ObjectRecord theirs = object(other, "theirs");
        store.commit(objects(mine, theirs));
        assertThat(store.countOwned(root)).isEqualTo(2);

        store.commit(reset(root));

        assertThat(store.objects(List.of(mine.id(), theirs.id()))).extracting(ObjectRecord::id).containsExactly(theirs.id());
        assertThat(store.countOwned(root)).isEqualTo(1);
    }

    // ---- nodes by type ------------------------------------------------------------------------------------------

    @Test
    void nodesNamedFindsNodesOfOneTypeOwnedByOneRootOrByAny() {
        Id root = newRoot();
        Id other = newRoot();
        NodeRecord a = node(root, "a");
        NodeRecord b = node(other, "b");
        NodeRecord c = new NodeRecord(Id.random(), "Counter", root, access("NO_ACCESS"), List.of(), F.objectNode(), 1);
        store.commit(inserts(List.of(a, b, c), List.of()));

        assertThat(store.nodesNamed("Item", root, 10)).extracting(NodeRecord::id).containsExactly(a.id());
        assertThat(store.nodesNamed("Item", null, 10)).extracting(NodeRecord::id).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(store.nodesNamed("Item", null, 1)).hasSize(1);
        assertThat(store.nodesNamed("Counter", null, 10)).extracting(NodeRecord::id).containsExactly(c.id());
        assertThat(store.nodesNamed("Missing", null, 10)).isEmpty();
    }

    // ---- walker documents ---------------------------------------------------------------------------------------

    @Test
    void aWalkerDocumentCommittedLoadsByIdWithItsSchedule() {
        Id root = newRoot();
        ScheduleState done = ScheduleState.pending("n:Item:" + Id.random().hex(), "n::" + root.hex(), Instant.parse("2030-01-02T03:04:05Z"))
                .started(Instant.parse("2030-01-02T03:04:06.5Z"))
                .completed(201, F.arrayNode().add(1), F.arrayNode().add("r").add(F.objectNode().put("x", 1)), F.objectNode().put("c", true));
        WalkerRecord w = walkerRecord(root, "visit", done);
        store.commit(ChangeSet.ofWalkers(List.of(w)));

        WalkerRecord loaded = store.walker(w.id()).orElseThrow();
        assertThat(loaded).isEqualTo(w);
        assertThat(store.walker(Id.random())).isEmpty();
        assertThat(store.countOwned(root)).isEqualTo(2);
    }

    @Test
    void aWalkerDocumentWrittenAgainReplacesTheFirst() {
        Id root = newRoot();
        WalkerRecord pending = walkerRecord(root, "visit", ScheduleState.pending(null, null, null));
        store.commit(ChangeSet.ofWalkers(List.of(pending)));
        WalkerRecord failed = new WalkerRecord(pending.id(), "visit", root, pending.access(), F.objectNode().put("step", 9),
                pending.schedule().failed(500, "it broke"));
        store.commit(ChangeSet.ofWalkers(List.of(failed)));

        assertThat(store.walker(pending.id())).contains(failed);
        assertThat(store.countOwned(root)).isEqualTo(2);
    }

    @Test
    void theLatestWalkerDocumentOfANameIsTheOneWithTheGreatestId() throws Exception {
        Id root = newRoot();
        WalkerRecord first = walkerRecord(root, "cron", null);
        Thread.sleep(2);
        WalkerRecord other = walkerRecord(root, "other", null);
        Thread.sleep(2);
        WalkerRecord second = walkerRecord(root, "cron", null);
        store.commit(ChangeSet.ofWalkers(List.of(second, other, first)));

        assertThat(store.latestWalker("cron")).contains(second);
        assertThat(store.latestWalker("none")).isEmpty();
    }

    @Test
    void dueTasksArePendingDocumentsWhoseDateHasCome() {
        Id root = newRoot();
        Instant now = Instant.now();
        WalkerRecord atOnce = walkerRecord(root, "t", ScheduleState.pending(null, null, null));
        WalkerRecord past = walkerRecord(root, "t", ScheduleState.pending(null, null, now.minusSeconds(5)));
        WalkerRecord future = walkerRecord(root, "t", ScheduleState.pending(null, null, now.plusSeconds(60)));
        WalkerRecord done = walkerRecord(root, "t", ScheduleState.pending(null, null, null).completed(200, null, F.arrayNode(), null));
        WalkerRecord plain = walkerRecord(root, "t", null);
        store.commit(ChangeSet.ofWalkers(List.of(atOnce, past, future, done, plain)));

        assertThat(store.dueTasks(now, 10)).extracting(WalkerRecord::id).containsExactlyInAnyOrder(atOnce.id(), past.id());
        assertThat(store.dueTasks(now, 1)).hasSize(1);
        assertThat(store.dueTasks(now.plusSeconds(120), 10)).extracting(WalkerRecord::id)
                .containsExactlyInAnyOrder(atOnce.id(), past.id(), future.id());
    }

    @Test
    void aPendingTaskIsStartedByExactlyOneOfManyConcurrentCallers() throws Exception {
        Id root = newRoot();
        WalkerRecord task = walkerRecord(root, "t", ScheduleState.pending(null, null, null));
        store.commit(ChangeSet.ofWalkers(List.of(task)));
        AtomicInteger started = new AtomicInteger();
        Instant at = Instant.parse("2031-05-06T07:08:09Z");

        runTogether(8, t -> { if (store.startTask(task.id(), at)) started.incrementAndGet(); });

        assertThat(started.get()).isEqualTo(1);
        WalkerRecord loaded = store.walker(task.id()).orElseThrow();
        assertThat(loaded.schedule().status()).isEqualTo(ScheduleState.STARTED);
        assertThat(loaded.schedule().executedDate()).isEqualTo(at);
        assertThat(store.dueTasks(Instant.now(), 10)).isEmpty();
        assertThat(store.startTask(Id.random(), at)).isFalse();
    }

    @Test
    void walkerDocumentsCommitWithTheGraphOrNotAtAll() {
        Id root = newRoot();
        NodeRecord n = node(root, "a");
        store.commit(inserts(List.of(n), List.of()));
        store.commit(updates(setLabel(n.id(), 1, "moved")));
        WalkerRecord task = walkerRecord(root, "t", ScheduleState.pending(null, null, null));

        ChangeSet stale = new ChangeSet(null, List.of(), List.of(), List.of(setLabel(n.id(), 1, "stale")), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of(task));
        assertThatThrownBy(() -> store.commit(stale)).isInstanceOf(CommitConflict.class);

        assertThat(store.walker(task.id())).isEmpty();
    }

    // ---- webhook keys -------------------------------------------------------------------------------------------

    @Test
    void aWebhookKeyIsFoundByItsHashAndListedForItsRootOnly() {
        Id root = newRoot();
        Id other = newRoot();
        WebhookKeyRecord k = webhookKey(root, "ci");
        assertThat(store.createWebhookKey(k)).isTrue();
        assertThat(store.createWebhookKey(webhookKey(other, "ci"))).as("names are per root").isTrue();

        assertThat(store.webhookKeyByHash(k.keyHash())).contains(k);
        assertThat(store.webhookKeyByHash("0".repeat(64))).isEmpty();
        assertThat(store.webhookKeys(root)).containsExactly(k);
    }

    @Test
    void aWebhookKeyNameTakenInTheSameRootIsRefused() {
        Id root = newRoot();
        assertThat(store.createWebhookKey(webhookKey(root, "ci"))).isTrue();
        WebhookKeyRecord again = webhookKey(root, "ci");

        assertThat(store.createWebhookKey(again)).isFalse();
        assertThat(store.webhookKeyByHash(again.keyHash())).isEmpty();
        assertThat(store.webhookKeys(root)).hasSize(1);
    }

    @Test
    void onlyTheOwningRootExtendsOrDeletesAWebhookKey() {
        Id root = newRoot();
        Id other = newRoot();
        WebhookKeyRecord k = webhookKey(root, "ci");
        store.createWebhookKey(k);
        Instant later = Instant.parse("2040-01-01T00:00:00Z");

        assertThat(store.extendWebhookKey(other, k.id(), later)).isFalse();
        assertThat(store.extendWebhookKey(root, k.id(), later)).isTrue();
        assertThat(store.webhookKeyByHash(k.keyHash()).orElseThrow().expiration()).isEqualTo(later);

        assertThat(store.deleteWebhookKeys(other, List.of(k.id()))).isZero();
        assertThat(store.deleteWebhookKeys(root, List.of(k.id(), Id.random()))).isEqualTo(1);
        assertThat(store.webhookKeyByHash(k.keyHash())).isEmpty();
    }

    // ---- leases -------------------------------------------------------------------------------------------------

    @Test
    void aLeaseBelongsToOneHolderUntilItExpires() {
        Instant soon = Instant.now().plusSeconds(60);
        assertThat(store.claimLease("job:1", "a", soon)).isTrue();
        assertThat(store.claimLease("job:1", "b", soon)).isFalse();
        assertThat(store.claimLease("job:1", "a", soon.plusSeconds(1))).as("renewed by its holder").isTrue();
        assertThat(store.claimLease("job:2", "b", soon)).as("another lease").isTrue();

        assertThat(store.claimLease("job:3", "a", Instant.now().minusSeconds(1))).isTrue();
        assertThat(store.claimLease("job:3", "b", soon)).as("expired").isTrue();
        assertThat(store.claimLease("job:3", "a", soon)).isFalse();
    }

    @Test
    void concurrentClaimsOfOneLeaseLetExactlyOneHolderWin() throws Exception {
        Instant until = Instant.now().plusSeconds(60);
        Set<String> winners = ConcurrentHashMap.newKeySet();

        runTogether(8, t -> { if (store.claimLease("trigger:42", "instance-" + t, until)) winners.add("instance-" + t); });

        assertThat(winners).hasSize(1);
    }

    // ---- operations ----------------------------------------------------------------------------------------------

    @Test
    void anOpenStorePassesItsCheck() {
        store.check();
        assertThat(store.backend()).isNotBlank();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    protected Id newRoot() {
        Id root = Id.random();
        store.ensureRoot(StoredJson.root(root, "NO_ACCESS"));
        return root;
    }

    protected static NodeRecord rootRecord(Id root) { return StoredJson.root(root, "NO_ACCESS"); }

    protected static ObjectNode access(String all) {
        ObjectNode a = F.objectNode().put("all", all);
        a.putObject("roots").putObject("anchors");
        return a;
    }

    protected static NodeRecord node(Id root, String label) {
        ObjectNode fields = F.objectNode().put("label", label);
        fields.putObject("meta").put("nested", true).putArray("tags").add("x").add(2);
        return new NodeRecord(Id.random(), "Item", root, access("NO_ACCESS"), List.of(), fields, 1);
    }

    protected static EdgeRecord edge(Id root, NodeRecord from, NodeRecord to) {
        return new EdgeRecord(Id.random(), "Link", root, access("NO_ACCESS"), ref(from), ref(to), false,
                F.objectNode().put("weight", 0), 1);
    }

    protected static String ref(NodeRecord n) { return "n:" + n.name() + ":" + n.id().hex(); }

    protected static String ref(EdgeRecord e) { return "e:" + e.name() + ":" + e.id().hex(); }

    protected static NodeRecord withVersion(NodeRecord n, long version) {
        return new NodeRecord(n.id(), n.name(), n.root(), n.access(), n.edges(), n.archetype(), version);
    }

    protected static UserRecord user(String email) {
        ObjectNode extra = F.objectNode().put("name", "someone");
        extra.putObject("profile").put("theme", "dark");
        return new UserRecord(Id.random(), email, "hash-of-" + email, Id.random(), true, false, 0, extra);
    }

    protected static ChangeSet inserts(List<NodeRecord> nodes, List<EdgeRecord> edges) {
        return new ChangeSet(null, nodes, edges, List.of(), List.of(), List.of(), List.of());
    }

    protected static ChangeSet updates(ChangeSet.NodeUpdate... updates) {
        return new ChangeSet(null, List.of(), List.of(), List.of(updates), List.of(), List.of(), List.of());
    }

    protected static ChangeSet edgeUpdate(ChangeSet.EdgeUpdate update) {
        return new ChangeSet(null, List.of(), List.of(), List.of(), List.of(update), List.of(), List.of());
    }

    protected static ChangeSet deletes(List<ChangeSet.Versioned> nodes, List<ChangeSet.Versioned> edges) {
        return new ChangeSet(null, List.of(), List.of(), List.of(), List.of(), nodes, edges);
    }

    protected static ChangeSet reset(Id root) {
        return new ChangeSet(root, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    protected static ChangeSet.NodeUpdate setLabel(Id id, long version, String label) {
        return new ChangeSet.NodeUpdate(id, version, F.objectNode().put("label", label), null, List.of(), List.of());
    }

    protected static ChangeSet.NodeUpdate addEdges(Id id, long version, String... refs) {
        return new ChangeSet.NodeUpdate(id, version, null, null, List.of(refs), List.of());
    }

    /** A walker document as jac-cloud stores one; walkers have no record of their own, so it enters by import. */
    protected static Store.Exported walkerDocument(Id root) {
        ObjectNode d = F.objectNode().put("_id", Id.random().hex()).put("name", "Visit").put("root", root.hex());
        d.set("access", access("NO_ACCESS"));
        d.putObject("archetype").put("step", 3);
        d.put("version", 1);
        return new Store.Exported("walker", d);
    }

    protected static ObjectRecord object(Id root, String label) {
        ObjectNode fields = F.objectNode().put("label", label);
        fields.putArray("list").add(1).add("two");
        return new ObjectRecord(Id.random(), "Saved", root, access("NO_ACCESS"), fields, 1);
    }

    protected static ChangeSet objects(ObjectRecord... inserts) {
        return new ChangeSet(null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(inserts),
                List.of(), List.of(), List.of());
    }

    protected static ChangeSet objectChanges(List<ChangeSet.ObjectUpdate> updates, List<ChangeSet.Versioned> deletes) {
        return new ChangeSet(null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                updates, deletes, List.of());
    }

    protected static WalkerRecord walkerRecord(Id root, String name, ScheduleState schedule) {
        return new WalkerRecord(Id.timeOrdered(), name, root, access("NO_ACCESS"), F.objectNode().put("step", 1).put("text", "x"), schedule);
    }

    protected static WebhookKeyRecord webhookKey(Id root, String name) {
        return new WebhookKeyRecord(Id.random(), name, root, List.of("hook"), List.of("root", "Item"),
                Instant.parse("2035-06-07T08:09:10.123Z"), io.walkerd.auth.WebhookKeys.hash(name + Id.random().hex()));
    }

    protected NodeRecord load(Id id) {
        List<NodeRecord> found = store.nodes(List.of(id));
        assertThat(found).as("node %s", id).hasSize(1);
        return found.get(0);
    }

    private static NodeRecord byId(List<NodeRecord> nodes, Id id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    /** Users with roots, nodes, edges between them, an updated node, an object, a walker document and a webhook key. */
    protected static void fillWithEveryKindOfDocument(Store s) {
        for (String email : List.of("x@example.com", "y@example.com")) {
            UserRecord u = user(email);
            s.createUser(u, StoredJson.root(u.rootId(), "NO_ACCESS"));
            NodeRecord a = node(u.rootId(), "a");
            NodeRecord b = node(u.rootId(), "b");
            EdgeRecord ab = edge(u.rootId(), a, b);
            s.commit(new ChangeSet(null, List.of(a, b), List.of(ab),
                    List.of(addEdges(u.rootId(), 1, ref(ab))), List.of(), List.of(), List.of()));
            s.commit(updates(setLabel(a.id(), 1, "updated")));
            s.importAll(List.of(walkerDocument(u.rootId())));
            s.commit(objects(object(u.rootId(), "kept")));
            s.createWebhookKey(webhookKey(u.rootId(), "hook of " + email));
        }
    }

    /** Every document of the store by collection and id, for comparing two stores or a store before and after. */
    protected static Map<String, ObjectNode> exportById(Store s) {
        Map<String, ObjectNode> out = new HashMap<>();
        s.exportAll(e -> out.put(e.collection() + "/" + e.document().path("_id").asText(), e.document()));
        return out;
    }

    @FunctionalInterface
    protected interface Worker { void run(int thread) throws Exception; }

    /** Starts {@code threads} workers at once and waits for all of them; a worker's failure fails the test. */
    protected static void runTogether(int threads, Worker worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    worker.run(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }
}
