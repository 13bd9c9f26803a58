package io.walkerd.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded store: a MongoDB wire-protocol server (mongo-java-server) with its H2 backend, started in-process
 * on a loopback port so that the real MongoDB driver talks to it exactly as it would to MongoDB.
 */
public final class EmbeddedMongo implements AutoCloseable {
    private final MongoServer server;
    private final AbstractMongoBackend backend;
    private final String connectionString;

    /**
     * Starts on {@code file}; a null file keeps everything in memory, in the memory backend (H2's in-memory mode
     * would still pass every key and document through Java serialization).
     */
    public EmbeddedMongo(Path file) {
        if (file == null) {
            backend = new MemoryBackend();
        } else {
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create the folder of " + file + ": " + e.getMessage(), e);
            }
            backend = new H2Backend(file.toString());
        }
        server = new MongoServer(backend);
        InetSocketAddress address = server.bind();
        connectionString = "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    public String connectionString() { return connectionString; }

    @Override
    public void close() {
        server.shutdown();
        backend.close();
    }
}
