package io.walkerd.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.connection.ClusterType;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import io.walkerd.auth.Principal;
import io.walkerd.graph.Access;
import io.walkerd.graph.AccessPolicy;
import io.walkerd.graph.RefId;
import io.walkerd.walker.WalkerRegistry;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.util.List;

import static com.mongodb.client.model.Filters.eq;

/** The graph's MongoDB collections ({@code node}, {@code edge}, {@code walker}) and the system roots. */
public final class GraphStore {
    private final MongoDatabase db;
    private final WalkerRegistry registry;
    private final boolean transactions;
    private final com.mongodb.client.MongoClient client;

    public GraphStore(com.mongodb.client.MongoClient client, MongoDatabase db, WalkerRegistry registry) {
        this.client = client;
        this.db = db;
        this.registry = registry;
        nodes().createIndex(Indexes.ascending("root"));
        edges().createIndex(Indexes.ascending("root"));
        walkers().createIndex(Indexes.ascending("root"));
        ensureRoot(RefId.SUPER_ROOT, Access.NO_ACCESS);
        ensureRoot(RefId.PUBLIC_ROOT, Access.WRITE);
        this.transactions = supportsTransactions(client);
    }

    /**
     * Transactions need a replica set or a sharded cluster; the embedded server is a standalone. Called after the
     * first operations, so that the driver has already discovered the cluster.
     */
    private static boolean supportsTransactions(com.mongodb.client.MongoClient client) {
        ClusterType type = client.getClusterDescription().getType();
        return type == ClusterType.REPLICA_SET || type == ClusterType.SHARDED || type == ClusterType.LOAD_BALANCED;
    }

    private void ensureRoot(ObjectId id, Access all) {
        nodes().updateOne(eq("_id", id),
                new Document("$setOnInsert", rootDocument(id, all)),
                new UpdateOptions().upsert(true));
    }

    static Document rootDocument(ObjectId id, Access all) {
        return new Document("_id", id).append("name", "").append("root", id)
                .append("access", new AccessPolicy(all).toDocument())
                .append("edges", List.of()).append("archetype", new Document());
    }

    /** Creates a new user's root node and returns its id. */
    public ObjectId createRoot() {
        ObjectId id = new ObjectId();
        nodes().insertOne(rootDocument(id, Access.NO_ACCESS));
        return id;
    }

    /** Opens the graph as {@code caller} sees it, for one walk. */
    public GraphSession open(Principal caller) { return new GraphSession(this, caller); }

    MongoCollection<Document> nodes() { return db.getCollection("node"); }

    MongoCollection<Document> edges() { return db.getCollection("edge"); }

    MongoCollection<Document> walkers() { return db.getCollection("walker"); }

    WalkerRegistry registry() { return registry; }

    boolean transactions() { return transactions; }

    com.mongodb.client.MongoClient client() { return client; }

    /** Ensures a unique index, used by other parts of the runtime (users' emails). */
    public void uniqueIndex(String collection, String field) {
        db.getCollection(collection).createIndex(Indexes.ascending(field), new IndexOptions().unique(true));
    }
}
