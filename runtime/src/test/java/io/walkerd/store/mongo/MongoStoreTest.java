package io.walkerd.store.mongo;

import com.mongodb.client.MongoClients;
import io.walkerd.store.Store;
import io.walkerd.store.StoreContract;
import io.walkerd.testing.MongoWire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store's behaviour suite on the MongoDB backend: the real driver over the wire to an in-memory MongoDB test
 * double (a standalone server, so change sets go through the journal rather than a transaction).
 */
class MongoStoreTest extends StoreContract {
    static MongoWire wire;
    static final AtomicInteger databases = new AtomicInteger();

    @BeforeAll
    static void startWire() { wire = new MongoWire(); }

    @AfterAll
    static void stopWire() { wire.close(); }

    @Override
    protected Store newStore(Path folder) {
        return new MongoStore(MongoClients.create(wire.connectionString()), "contract" + databases.incrementAndGet(), true);
    }

    @org.junit.jupiter.api.Test
    void aChangeSetInterruptedOnAStandaloneServerIsFinishedAtTheNextStart() {
        String name = "journal" + databases.incrementAndGet();
        io.walkerd.graph.Id root = io.walkerd.graph.Id.random();
        io.walkerd.store.NodeRecord node = new io.walkerd.store.NodeRecord(io.walkerd.graph.Id.random(), "Item", root,
                io.walkerd.store.StoredJson.root(root, "NO_ACCESS").access(), java.util.List.of(), F.objectNode().put("label", "x"), 1);
        io.walkerd.store.ChangeSet set = new io.walkerd.store.ChangeSet(null, java.util.List.of(node), java.util.List.of(),
                java.util.List.of(new io.walkerd.store.ChangeSet.NodeUpdate(root, 1, null, null, java.util.List.of("e:Link:" + io.walkerd.graph.Id.random()), java.util.List.of())),
                java.util.List.of(), java.util.List.of(), java.util.List.of());
        try (var client = MongoClients.create(wire.connectionString())) {
            try (Store first = new MongoStore(client, name, false)) {
                first.ensureRoot(io.walkerd.store.StoredJson.root(root, "NO_ACCESS"));
            }
            // what a process killed between writing the journal entry and applying it leaves behind
            client.getDatabase(name).getCollection("commit_journal").insertOne(new org.bson.Document("_id", new org.bson.types.ObjectId())
                    .append("at", new java.util.Date()).append("changes", BsonJson.value(Journal.toJson(set))));
            try (Store again = new MongoStore(client, name, false)) {
                org.assertj.core.api.Assertions.assertThat(again.nodes(java.util.List.of(node.id()))).as("the insert was applied").hasSize(1);
                org.assertj.core.api.Assertions.assertThat(again.nodes(java.util.List.of(root)).get(0).edges()).as("the edge add was applied").hasSize(1);
                org.assertj.core.api.Assertions.assertThat(client.getDatabase(name).getCollection("commit_journal").countDocuments()).isZero();
            }
        }
    }
}
