package io.walkerd.store.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.connection.ClusterType;
import io.walkerd.graph.Id;
import io.walkerd.store.ChangeSet;
import io.walkerd.store.CommitConflict;
import io.walkerd.store.EdgeRecord;
import io.walkerd.store.NodeRecord;
import io.walkerd.store.ObjectRecord;
import io.walkerd.store.ScheduleState;
import io.walkerd.store.WalkerRecord;
import io.walkerd.store.WebhookKeyRecord;
import io.walkerd.store.Store;
import io.walkerd.store.StoreUnavailable;
import io.walkerd.store.StoredJson;
import io.walkerd.store.UserRecord;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;
import static com.mongodb.client.model.Filters.ne;

/**
 * The MongoDB backend: jac-cloud's collections and document layout, plus a {@code version} per node and edge.
 * On a replica set or sharded cluster a change set is one transaction. A standalone server has no transactions:
 * there the change set is first written whole to the {@code commit_journal} collection, then applied with
 * idempotent writes, then removed; a journal entry left by a crash is applied again at the next start.
 */
public final class MongoStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(MongoStore.class);
    private static final String JOURNAL = "commit_journal";
    /** In a version check: the document must exist, whatever its version. */
    private static final long ANY_VERSION = -1;

    private final MongoClient client;
    private final MongoDatabase db;
    private final boolean ownsClient;
    private final boolean transactions;
    /** Serialises this instance's commits on a standalone server, where no transaction isolates them. */
    private final ReentrantLock standaloneCommits = new ReentrantLock();

    public MongoStore(MongoClient client, String database, boolean ownsClient) {
        this.client = client;
        this.db = client.getDatabase(database);
        this.ownsClient = ownsClient;
        try {
            nodes().createIndex(Indexes.ascending("root"));
            edges().createIndex(Indexes.ascending("root"));
            walkers().createIndex(Indexes.ascending("root"));
            walkers().createIndex(Indexes.ascending("name", "_id"));
            walkers().createIndex(Indexes.ascending("schedule.status"));
            objects().createIndex(Indexes.ascending("root"));
            nodes().createIndex(Indexes.ascending("name", "root"));
            webhooks().createIndex(Indexes.ascending("key_hash"), new IndexOptions().unique(true));
            webhooks().createIndex(Indexes.ascending("root_id", "name"), new IndexOptions().unique(true));
            leases().createIndex(Indexes.ascending("until"));
            users().createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
            // transactions need a replica set or a sharded cluster; asked after the first commands, once the driver knows
            ClusterType type = client.getClusterDescription().getType();
            this.transactions = type == ClusterType.REPLICA_SET || type == ClusterType.SHARDED || type == ClusterType.LOAD_BALANCED;
            if (!transactions) finishInterruptedCommits();
        } catch (MongoException e) {
            throw unavailable("cannot prepare the database", e);
        }
    }

    @Override
    public String backend() { return "mongodb"; }

    /** True when change sets run in transactions (replica set or sharded cluster). */
    public boolean transactions() { return transactions; }

    private MongoCollection<Document> nodes() { return db.getCollection("node"); }

    private MongoCollection<Document> edges() { return db.getCollection("edge"); }

    private MongoCollection<Document> walkers() { return db.getCollection("walker"); }

    private MongoCollection<Document> users() { return db.getCollection("user"); }

    private MongoCollection<Document> objects() { return db.getCollection("object"); }

    private MongoCollection<Document> webhooks() { return db.getCollection("webhook"); }

    private MongoCollection<Document> leases() { return db.getCollection("lease"); }

    private MongoCollection<Document> collection(String name) { return db.getCollection(name); }

    private static ObjectId oid(Id id) { return new ObjectId(id.hex()); }

    private static List<ObjectId> oids(Collection<Id> ids) {
        List<ObjectId> out = new ArrayList<>(ids.size());
        for (Id id : ids) out.add(oid(id));
        return out;
    }

    private static StoreUnavailable unavailable(String what, MongoException e) {
        String why = e instanceof com.mongodb.MongoTimeoutException ? ": the database did not answer in time"
                : e instanceof com.mongodb.MongoSocketException ? ": the connection to the database failed" : "";
        return new StoreUnavailable(what + why, e);
    }

    private <T> T guarded(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (CommitConflict c) {
            throw c;
        } catch (MongoException e) {
            throw unavailable(what, e);
        }
    }

    // ---- graph -------------------------------------------------------------------------------------------------

    @Override
    public List<NodeRecord> nodes(Collection<Id> ids) {
        if (ids.isEmpty()) return List.of();
        return guarded("cannot read nodes", () -> {
            List<NodeRecord> out = new ArrayList<>(ids.size());
            for (Document d : nodes().find(ids.size() == 1 ? eq("_id", oid(ids.iterator().next())) : in("_id", oids(ids)))) {
                out.add(StoredJson.node(BsonJson.toJson(d)));
            }
            return out;
        });
    }

    @Override
    public List<EdgeRecord> edges(Collection<Id> ids) {
        if (ids.isEmpty()) return List.of();
        return guarded("cannot read edges", () -> {
            List<EdgeRecord> out = new ArrayList<>(ids.size());
            for (Document d : edges().find(in("_id", oids(ids)))) out.add(StoredJson.edge(BsonJson.toJson(d)));
            return out;
        });
    }

    @Override
    public List<ObjectRecord> objects(Collection<Id> ids) {
        if (ids.isEmpty()) return List.of();
        return guarded("cannot read objects", () -> {
            List<ObjectRecord> out = new ArrayList<>(ids.size());
            for (Document d : objects().find(in("_id", oids(ids)))) out.add(StoredJson.objectRecord(BsonJson.toJson(d)));
            return out;
        });
    }

    @Override
    public List<NodeRecord> nodesNamed(String name, Id root, int limit) {
        return guarded("cannot find nodes by type", () -> {
            Bson filter = root == null ? eq("name", name) : and(eq("name", name), eq("root", oid(root)));
            List<NodeRecord> out = new ArrayList<>();
            for (Document d : nodes().find(filter).limit(limit)) out.add(StoredJson.node(BsonJson.toJson(d)));
            return out;
        });
    }

    @Override
    public void ensureRoot(NodeRecord root) {
        guarded("cannot create a root", () -> nodes().updateOne(eq("_id", oid(root.id())),
                new Document("$setOnInsert", BsonJson.toDocument(StoredJson.node(root))), new UpdateOptions().upsert(true)));
    }

    @Override
    public long countOwned(Id root) {
        return guarded("cannot count documents", () -> {
            Bson owned = eq("root", oid(root));
            return nodes().countDocuments(owned) + edges().countDocuments(owned) + walkers().countDocuments(owned)
                    + objects().countDocuments(owned);
        });
    }

    // ---- commit ------------------------------------------------------------------------------------------------

    /** The writes of a change set, per collection, and how many of them must find their document. */
    private record Writes(List<WriteModel<Document>> nodes, List<WriteModel<Document>> edges, List<WriteModel<Document>> walkers,
                          List<WriteModel<Document>> objects, int[] expectedNodes, int[] expectedEdges, int[] expectedObjects) {}

    @Override
    public void commit(ChangeSet changes) {
        if (changes.isEmpty()) return;
        Writes w = writes(changes);
        guarded("cannot commit", () -> {
            if (transactions) {
                try (ClientSession session = client.startSession()) {
                    session.withTransaction(() -> {
                        apply(session, w, true);
                        return null;
                    });
                }
            } else {
                commitStandalone(changes, w);
            }
            return null;
        });
    }

    private void commitStandalone(ChangeSet changes, Writes w) {
        standaloneCommits.lock();
        try {
            checkVersions(changes);
            ObjectId entry = new ObjectId();
            collection(JOURNAL).insertOne(new Document("_id", entry).append("at", new Date())
                    .append("changes", BsonJson.value(Journal.toJson(changes))));
            apply(null, w, false);
            collection(JOURNAL).deleteOne(eq("_id", entry));
        } finally {
            standaloneCommits.unlock();
        }
    }

    /** Refuses a change set whose versions moved, before anything of it is written (standalone servers). */
    private void checkVersions(ChangeSet c) {
        Map<Id, Long> wantNodes = new HashMap<>();
        // an edge-only update checks no version, but its node must still exist
        for (ChangeSet.NodeUpdate u : c.updateNodes()) wantNodes.put(u.id(), u.checksVersion() ? u.version() : ANY_VERSION);
        for (ChangeSet.Versioned d : c.deleteNodes()) wantNodes.put(d.id(), d.version());
        Map<Id, Long> wantEdges = new HashMap<>();
        for (ChangeSet.EdgeUpdate u : c.updateEdges()) wantEdges.put(u.id(), u.version());
        for (ChangeSet.Versioned d : c.deleteEdges()) wantEdges.put(d.id(), d.version());
        Map<Id, Long> wantObjects = new HashMap<>();
        for (ChangeSet.ObjectUpdate u : c.updateObjects()) wantObjects.put(u.id(), u.version());
        for (ChangeSet.Versioned d : c.deleteObjects()) wantObjects.put(d.id(), d.version());
        compare("node", nodes(), wantNodes);
        compare("edge", edges(), wantEdges);
        compare("object", objects(), wantObjects);
    }

    private static void compare(String kind, MongoCollection<Document> coll, Map<Id, Long> want) {
        if (want.isEmpty()) return;
        Map<Id, Long> found = new HashMap<>();
        for (Document d : coll.find(in("_id", oids(want.keySet()))).projection(new Document("version", 1))) {
            Object v = d.get("version");
            found.put(Id.of(d.getObjectId("_id").toHexString()), v instanceof Number n ? n.longValue() : 1L);
        }
        want.forEach((id, v) -> {
            Long stored = found.get(id);
            if (stored == null || (v != ANY_VERSION && !v.equals(stored))) {
                throw new CommitConflict(kind + " " + id + " changed since it was read");
            }
        });
    }

    private void apply(ClientSession session, Writes w, boolean strict) {
        run(session, edges(), w.edges(), w.expectedEdges(), strict, "edge");
        run(session, nodes(), w.nodes(), w.expectedNodes(), strict, "node");
        run(session, objects(), w.objects(), w.expectedObjects(), strict, "object");
        if (!w.walkers().isEmpty()) {
            if (session == null) walkers().bulkWrite(w.walkers()); else walkers().bulkWrite(session, w.walkers());
        }
    }

    /**
     * Runs one collection's writes and compares what they found with what they must find: {inserted, matched,
     * deleted}. In a transaction a shortfall is a conflict (the transaction aborts); on a standalone server the
     * versions were checked first, so a shortfall means a change set from another instance raced in: logged.
     */
    private static void run(ClientSession session, MongoCollection<Document> coll, List<WriteModel<Document>> writes,
                            int[] expected, boolean strict, String kind) {
        if (writes.isEmpty()) return;
        BulkWriteResult r = session == null ? coll.bulkWrite(writes) : coll.bulkWrite(session, writes);
        if (r.getMatchedCount() < expected[1] || r.getDeletedCount() < expected[2]) {
            if (strict) throw new CommitConflict("a " + kind + " changed since it was read");
            log.warn("a {} changed by another instance while a change set was applied; the rest of it was applied", kind);
        }
    }

    private static Bson versioned(Id id, long version) {
        // documents written before versions existed count as version 1
        // one plain document, not {$and: [...]}: every server (and the test double) finds it through the _id index
        return new Document("_id", oid(id)).append("version", version == 1 ? new Document("$in", java.util.Arrays.asList(1L, 1, null)) : version);
    }

    private Writes writes(ChangeSet c) {
        List<WriteModel<Document>> n = new ArrayList<>();
        List<WriteModel<Document>> e = new ArrayList<>();
        List<WriteModel<Document>> wk = new ArrayList<>();
        List<WriteModel<Document>> o = new ArrayList<>();
        int[] en = new int[3];
        int[] ee = new int[3];
        int[] eo = new int[3];
        if (c.resetRoot() != null) {
            ObjectId root = oid(c.resetRoot());
            n.add(new DeleteManyModel<>(and(eq("root", root), ne("_id", root))));
            e.add(new DeleteManyModel<>(eq("root", root)));
            wk.add(new DeleteManyModel<>(eq("root", root)));
            o.add(new DeleteManyModel<>(eq("root", root)));
            n.add(new UpdateOneModel<>(eq("_id", root), new Document("$set", new Document("edges", List.of()))));
            en[1]++;
        }
        for (NodeRecord r : c.insertNodes()) {
            // replace-by-id, so that finishing an interrupted journal entry again is harmless
            n.add(new ReplaceOneModel<>(eq("_id", oid(r.id())), BsonJson.toDocument(StoredJson.node(r).put("version", 1L)),
                    new ReplaceOptions().upsert(true)));
        }
        for (EdgeRecord r : c.insertEdges()) {
            e.add(new ReplaceOneModel<>(eq("_id", oid(r.id())), BsonJson.toDocument(StoredJson.edge(r).put("version", 1L)),
                    new ReplaceOptions().upsert(true)));
        }
        for (ChangeSet.NodeUpdate u : c.updateNodes()) {
            Bson byId = eq("_id", oid(u.id()));
            if (u.checksVersion()) {
                Document set = new Document("version", u.version() + 1);
                if (u.archetype() != null) set.append("archetype", BsonJson.value(u.archetype()));
                if (u.access() != null) set.append("access", BsonJson.value(u.access()));
                n.add(new UpdateOneModel<>(versioned(u.id(), u.version()), new Document("$set", set)));
                en[1]++;
            }
            // edge lists change as sets, whatever the version ($addToSet and $pull cannot share one update); the
            // version moves once per change set
            boolean bumped = u.checksVersion();
            if (!u.addEdges().isEmpty()) {
                Document update = new Document("$addToSet", new Document("edges", new Document("$each", u.addEdges())));
                if (!bumped) update.append("$inc", new Document("version", 1));
                bumped = true;
                n.add(new UpdateOneModel<>(byId, update));
                en[1]++;
            }
            if (!u.removeEdges().isEmpty()) {
                Document update = new Document("$pull", new Document("edges", new Document("$in", u.removeEdges())));
                if (!bumped) update.append("$inc", new Document("version", 1));
                n.add(new UpdateOneModel<>(byId, update));
                en[1]++;
            }
        }
        for (ChangeSet.EdgeUpdate u : c.updateEdges()) {
            Document set = new Document("version", u.version() + 1);
            if (u.archetype() != null) set.append("archetype", BsonJson.value(u.archetype()));
            if (u.access() != null) set.append("access", BsonJson.value(u.access()));
            e.add(new UpdateOneModel<>(versioned(u.id(), u.version()), new Document("$set", set)));
            ee[1]++;
        }
        for (ChangeSet.Versioned d : c.deleteNodes()) {
            n.add(new DeleteOneModel<>(versioned(d.id(), d.version())));
            en[2]++;
        }
        for (ChangeSet.Versioned d : c.deleteEdges()) {
            e.add(new DeleteOneModel<>(versioned(d.id(), d.version())));
            ee[2]++;
        }
        for (ObjectRecord r : c.insertObjects()) {
            o.add(new ReplaceOneModel<>(eq("_id", oid(r.id())), BsonJson.toDocument(StoredJson.object(r).put("version", 1L)),
                    new ReplaceOptions().upsert(true)));
        }
        for (ChangeSet.ObjectUpdate u : c.updateObjects()) {
            Document set = new Document("version", u.version() + 1);
            if (u.archetype() != null) set.append("archetype", BsonJson.value(u.archetype()));
            if (u.access() != null) set.append("access", BsonJson.value(u.access()));
            o.add(new UpdateOneModel<>(versioned(u.id(), u.version()), new Document("$set", set)));
            eo[1]++;
        }
        for (ChangeSet.Versioned d : c.deleteObjects()) {
            o.add(new DeleteOneModel<>(versioned(d.id(), d.version())));
            eo[2]++;
        }
        for (WalkerRecord r : c.walkers()) {
            wk.add(new ReplaceOneModel<>(eq("_id", oid(r.id())), BsonJson.toDocument(StoredJson.walker(r)),
                    new ReplaceOptions().upsert(true)));
        }
        return new Writes(n, e, wk, o, en, ee, eo);
    }

    /** Applies again what a crash left in the journal (standalone servers), then forgets it. */
    private void finishInterruptedCommits() {
        for (Document entry : collection(JOURNAL).find().sort(new Document("at", 1))) {
            Object changes = entry.get("changes");
            if (changes instanceof Document d) {
                log.warn("finishing a change set interrupted by a stop ({})", entry.getObjectId("_id"));
                apply(null, writes(Journal.fromJson(BsonJson.toJson(d))), false);
            }
            collection(JOURNAL).deleteOne(eq("_id", entry.get("_id")));
        }
    }

    // ---- walker documents ---------------------------------------------------------------------------------------

    @Override
    public Optional<WalkerRecord> walker(Id id) {
        return guarded("cannot read a walker document", () -> Optional.ofNullable(walkers().find(eq("_id", oid(id))).first())
                .map(d -> StoredJson.walkerRecord(BsonJson.toJson(d))));
    }

    @Override
    public Optional<WalkerRecord> latestWalker(String name) {
        return guarded("cannot read a walker document", () -> Optional.ofNullable(
                walkers().find(eq("name", name)).sort(new Document("_id", -1)).limit(1).first())
                .map(d -> StoredJson.walkerRecord(BsonJson.toJson(d))));
    }

    @Override
    public List<WalkerRecord> dueTasks(Instant now, int limit) {
        return guarded("cannot read pending tasks", () -> {
            List<WalkerRecord> out = new ArrayList<>();
            // the due date is ISO text: compared here rather than in the query
            for (Document d : walkers().find(eq("schedule.status", ScheduleState.PENDING)).sort(new Document("_id", 1))) {
                WalkerRecord w = StoredJson.walkerRecord(BsonJson.toJson(d));
                Instant due = w.schedule() == null ? null : w.schedule().executeDate();
                if (due == null || !due.isAfter(now)) out.add(w);
                if (out.size() >= limit) break;
            }
            return out;
        });
    }

    @Override
    public boolean startTask(Id id, Instant at) {
        return guarded("cannot start a task", () -> walkers().updateOne(
                and(eq("_id", oid(id)), eq("schedule.status", ScheduleState.PENDING)),
                new Document("$set", new Document("schedule.status", ScheduleState.STARTED).append("schedule.executed_date", at.toString())))
                .getModifiedCount() == 1);
    }

    // ---- webhook keys -------------------------------------------------------------------------------------------

    @Override
    public boolean createWebhookKey(WebhookKeyRecord key) {
        return guarded("cannot create a webhook key", () -> {
            try {
                webhooks().insertOne(BsonJson.toDocument(StoredJson.webhookKey(key)));
                return true;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) throw e;
                return false;
            }
        });
    }

    @Override
    public Optional<WebhookKeyRecord> webhookKeyByHash(String keyHash) {
        return guarded("cannot read a webhook key", () -> Optional.ofNullable(webhooks().find(eq("key_hash", keyHash)).first())
                .map(d -> StoredJson.webhookKeyRecord(BsonJson.toJson(d))));
    }

    @Override
    public List<WebhookKeyRecord> webhookKeys(Id root) {
        return guarded("cannot read webhook keys", () -> {
            List<WebhookKeyRecord> out = new ArrayList<>();
            for (Document d : webhooks().find(eq("root_id", oid(root))).sort(new Document("_id", 1))) {
                out.add(StoredJson.webhookKeyRecord(BsonJson.toJson(d)));
            }
            return out;
        });
    }

    @Override
    public boolean extendWebhookKey(Id root, Id id, Instant expiration) {
        return guarded("cannot extend a webhook key", () -> webhooks().updateOne(
                and(eq("_id", oid(id)), eq("root_id", oid(root))),
                new Document("$set", new Document("expiration", expiration.toString()))).getMatchedCount() == 1);
    }

    @Override
    public int deleteWebhookKeys(Id root, Collection<Id> ids) {
        if (ids.isEmpty()) return 0;
        return guarded("cannot delete webhook keys", () -> (int) webhooks().deleteMany(
                and(in("_id", oids(ids)), eq("root_id", oid(root)))).getDeletedCount());
    }

    // ---- leases -------------------------------------------------------------------------------------------------

    @Override
    public boolean claimLease(String name, String holder, Instant until) {
        long now = System.currentTimeMillis();
        return guarded("cannot claim a lease", () -> {
            leases().deleteMany(lt("until", now));
            try {
                leases().insertOne(new Document("_id", name).append("holder", holder).append("until", until.toEpochMilli()));
                return true;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) throw e;
            }
            // taken: ours to renew, or expired since the sweep above
            return leases().updateOne(and(eq("_id", name), or(eq("holder", holder), lt("until", now))),
                    new Document("$set", new Document("holder", holder).append("until", until.toEpochMilli())))
                    .getMatchedCount() == 1;
        });
    }

    // ---- users -------------------------------------------------------------------------------------------------

    @Override
    public Optional<UserRecord> userById(Id id) {
        return guarded("cannot read a user", () -> Optional.ofNullable(users().find(eq("_id", oid(id))).first())
                .map(d -> StoredJson.user(BsonJson.toJson(d))));
    }

    @Override
    public Optional<UserRecord> userByEmail(String email) {
        return guarded("cannot read a user", () -> Optional.ofNullable(users().find(eq("email", email)).first())
                .map(d -> StoredJson.user(BsonJson.toJson(d))));
    }

    @Override
    public boolean createUser(UserRecord user, NodeRecord root) {
        return guarded("cannot create a user", () -> {
            ensureRoot(root);
            try {
                users().insertOne(BsonJson.toDocument(StoredJson.user(user)));
                return true;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) throw e;
                nodes().deleteOne(eq("_id", oid(root.id())));
                return false;
            }
        });
    }

    @Override
    public boolean changePassword(Id userId, String passwordHash, int expectedTokenVersion) {
        return guarded("cannot change a password", () -> users().updateOne(
                and(eq("_id", oid(userId)), eq("token_version", expectedTokenVersion)),
                new Document("$set", new Document("password", passwordHash)).append("$inc", new Document("token_version", 1)))
                .getModifiedCount() == 1);
    }

    @Override
    public boolean markAdmin(String email, boolean admin) {
        return guarded("cannot mark an admin", () -> users().updateOne(eq("email", email),
                new Document("$set", new Document("is_admin", admin))).getMatchedCount() == 1);
    }

    // ---- operations ---------------------------------------------------------------------------------------------

    @Override
    public void check() {
        guarded("the database does not answer", () -> db.runCommand(new Document("ping", 1)));
    }

    @Override
    public void exportAll(Consumer<Exported> out) {
        guarded("cannot export", () -> {
            for (String name : COLLECTIONS) {
                for (Document d : collection(name).find().sort(new Document("_id", 1))) out.accept(new Exported(name, BsonJson.toJson(d)));
            }
            return null;
        });
    }

    @Override
    public void importAll(Iterable<Exported> documents) {
        guarded("cannot import", () -> {
            Map<String, List<WriteModel<Document>>> batches = new HashMap<>();
            for (Exported x : documents) {
                if (!COLLECTIONS.contains(x.collection())) throw new IllegalArgumentException("unknown collection " + x.collection());
                Document d = BsonJson.toDocument(x.document());
                List<WriteModel<Document>> batch = batches.computeIfAbsent(x.collection(), k -> new ArrayList<>());
                batch.add(new ReplaceOneModel<>(eq("_id", d.get("_id")), d, new ReplaceOptions().upsert(true)));
                if (batch.size() >= 500) {
                    collection(x.collection()).bulkWrite(batch);
                    batch.clear();
                }
            }
            batches.forEach((name, batch) -> { if (!batch.isEmpty()) collection(name).bulkWrite(batch); });
            return null;
        });
    }

    @Override
    public void close() {
        if (ownsClient) client.close();
    }
}
