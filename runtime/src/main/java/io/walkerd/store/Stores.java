package io.walkerd.store;

import com.mongodb.client.MongoClients;
import io.walkerd.server.Config;
import io.walkerd.store.mongo.MongoStore;
import io.walkerd.store.sqlite.SqliteStore;

/** Opens the store the configuration names: MongoDB when {@code DATABASE_HOST} is set, the embedded SQLite file otherwise. */
public final class Stores {
    private Stores() {}

    public static Store open(Config config) {
        String host = config.databaseHost();
        if (host != null) return new MongoStore(MongoClients.create(host), config.databaseName(), true);
        return SqliteStore.open(config.databasePath(), SqliteStore.Sync.parse(config.databaseSync()),
                config.databaseCacheBytes());
    }
}
