package io.walkerd.testing;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.net.InetSocketAddress;

/**
 * A MongoDB wire-protocol server (mongo-java-server, memory backend) on a loopback port: the test double that lets
 * the MongoDB backend be tested with the real driver over the wire. Never a production store.
 */
public final class MongoWire implements AutoCloseable {
    private final MongoServer server;
    private final String connectionString;

    public MongoWire() {
        server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        connectionString = "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    public String connectionString() { return connectionString; }

    @Override
    public void close() { server.shutdownNow(); }
}
