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
}
