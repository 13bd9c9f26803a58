package io.walkerd.conformance;

import com.mongodb.MongoClientSettings;
import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.walkerd.server.Config;
import io.walkerd.server.WalkerdServer;
import io.walkerd.store.mongo.MongoStore;
import io.walkerd.testing.Http;
import io.walkerd.testing.MongoWire;
import io.walkerd.testing.TestServer;
import io.walkerd.walker.WalkerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A walk costs a round trip per collection per level of the graph, not per node: counted with the MongoDB driver's
 * own command listener, on the MongoDB backend over the wire.
 */
class QueryCountTest {
    static final Set<String> QUERIES = Set.of("find", "aggregate", "count", "getMore");
    static final ConcurrentLinkedQueue<String> commands = new ConcurrentLinkedQueue<>();
    static MongoWire wire;
    static WalkerdServer server;

    @BeforeAll
    static void start() {
        wire = new MongoWire();
        CommandListener listener = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) { commands.add(event.getCommandName()); }
        };
        var client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(wire.connectionString())).addCommandListener(listener).build());
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        server = WalkerdServer.start(Config.of(TestServer.settings(Map.of("WALKERD_CONFORMANCE", "true"))),
                WalkerRegistry.discover(loader), List.of(), new MongoStore(client, "counts", true));
    }

    @AfterAll
    static void stop() {
        server.close();
        wire.close();
    }

    @Test
    void traversingThePopulatedGraphIssuesAtMost14Queries() {
        Http http = new Http(server.baseUrl());
        String token = http.newToken();
        assertThat(http.post("/walker/populate_graph", Map.of(), token).status()).isEqualTo(200);
        commands.clear();
        var walked = http.post("/walker/traverse_populated_graph", Map.of(), token);
        List<String> queries = commands.stream().filter(QUERIES::contains).toList();
        System.out.println("traverse_populated_graph issued " + queries.size() + " queries: " + queries);
        assertThat(walked.status()).isEqualTo(200);
        assertThat(walked.reports()).as("63 nodes in 6 levels").hasSize(63);
        assertThat(queries.size()).as("queries %s", queries).isLessThanOrEqualTo(14);
    }
}
