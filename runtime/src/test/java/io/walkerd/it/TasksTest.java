package io.walkerd.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.auth.Principal;
import io.walkerd.fixtures.TaskWalkers.AddToTally;
import io.walkerd.graph.AccessPolicy;
import io.walkerd.graph.Access;
import io.walkerd.graph.Id;
import io.walkerd.store.ChangeSet;
import io.walkerd.store.ScheduleState;
import io.walkerd.store.WalkerRecord;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import io.walkerd.walker.WalkerDocument;
import io.walkerd.walker.WalkerResponse;
import io.walkerd.walker.Walkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Tasks, async walkers and the Walkers service: walkers that run beyond the request. */
class TasksTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer(Map.of("TASK_POLL_MS", "100"));
    static final Http http = server.http();

    /** A user: token, root ref id, and their first Tally's id. */
    record User(String token, String root, String tally) {
        Principal principal() { return Principal.ofRoot(Id.of(root.substring(3))); }
    }

    static User user() {
        JsonNode login = http.newUser();
        String token = login.path("token").asText();
        Http.Response tally = http.post("/walker/make_tally", Map.of(), token);
        assertThat(tally.status()).as(tally.toString()).isEqualTo(200);
        return new User(token, "n::" + login.path("user").path("root_id").asText(), tally.reports().get(0).path("id").asText());
    }

    static int tally(User u) {
        return http.post("/walker/make_tally/" + u.tally(), Map.of(), u.token()).reports().get(0).path("context").path("val").asInt();
    }

    static Walkers walkers() { return server.walkerd().walkersService(); }

    static WalkerDocument finished(String walkerId) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> walkers().document(walkerId),
                d -> d.isPresent() && !List.of("PENDING", "STARTED").contains(d.get().schedule().path("status").asText())).orElseThrow();
    }

    @Test
    void aTaskRunsThePrivateWalkerOnItsNodeInTheBackgroundAndKeepsItsOutcome() {
        User u = user();
        Http.Response r = http.post("/walker/queue_tally", Map.of("by", 2), u.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String id = r.reports().get(0).asText();
        assertThat(id).startsWith("w:add_to_tally:");

        WalkerDocument done = finished(id);
        assertThat(done.schedule().path("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.schedule().path("http_status").asInt()).isEqualTo(200);
        assertThat(done.schedule().path("reports")).isEqualTo(Http.JSON.valueToTree(List.of(2)));
        assertThat(done.schedule().path("node_id").asText()).isEqualTo(u.tally());
        assertThat(done.schedule().path("root_id").asText()).isEqualTo(u.root());
        assertThat(done.schedule().path("error").isNull()).isTrue();
        assertThat(done.root()).isEqualTo(u.root());
        assertThat(done.archetype().path("by").asInt()).isEqualTo(2);
        assertThat(tally(u)).isEqualTo(2);
    }

    @Test
    void eachTaskAddsOnceToTheCounter() {
        User u = user();
        for (int i = 1; i <= 3; i++) {
            String id = http.post("/walker/queue_tally", Map.of(), u.token()).reports().get(0).asText();
            assertThat(finished(id).schedule().path("status").asText()).isEqualTo("COMPLETED");
            assertThat(tally(u)).isEqualTo(i);
        }
    }

    @Test
    void aWalkerThatFailsAfterCreatingATaskCreatesNone() {
        User u = user();
        Optional<WalkerRecord> before = server.walkerd().store().store().latestWalker("add_to_tally");
        Http.Response r = http.post("/walker/queue_tally", Map.of("failAfter", true), u.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(409);

        assertThat(server.walkerd().store().store().latestWalker("add_to_tally")).isEqualTo(before);
        assertThat(tally(u)).isZero();
    }

    @Test
    void aTaskThatFailsIsKeptAsErrorWithTheReasonAndWritesNothing() {
        User u = user();
        String id = http.post("/walker/queue_tally", Map.of("by", 5, "taskFails", "no more"), u.token()).reports().get(0).asText();

        WalkerDocument failed = finished(id);
        assertThat(failed.schedule().path("status").asText()).isEqualTo("ERROR");
        assertThat(failed.schedule().path("http_status").asInt()).isEqualTo(400);
        assertThat(failed.schedule().path("error")).isEqualTo(Http.JSON.valueToTree(List.of("no more")));
        assertThat(tally(u)).isZero();
    }

    @Test
    void aPendingTaskWrittenByAnotherInstanceIsTakenByThePoller() {
        User u = user();
        Id id = Id.timeOrdered();
        WalkerRecord task = new WalkerRecord(id, "add_to_tally", Id.of(u.root().substring(3)), new AccessPolicy(Access.NO_ACCESS).toJson(),
                Http.JSON.createObjectNode().put("by", 4), ScheduleState.pending(u.tally(), u.root(), null));
        server.walkerd().store().store().commit(ChangeSet.ofWalkers(List.of(task)));

        assertThat(finished("w:add_to_tally:" + id.hex()).schedule().path("status").asText()).isEqualTo("COMPLETED");
        assertThat(tally(u)).isEqualTo(4);
    }

    @Test
    void anAsyncWalkerAnswersItsIdAtOnceAndItsDocumentKeepsTheOutcome() {
        User u = user();
        Http.Response r = http.post("/walker/slow_async", Map.of("label", "x"), u.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().size()).isEqualTo(1);
        String id = r.body().path("walker_id").asText();
        assertThat(id).startsWith("w:slow_async:");

        WalkerDocument done = finished(id);
        assertThat(done.schedule().path("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.schedule().path("http_status").asInt()).isEqualTo(200);
        assertThat(done.schedule().path("reports")).isEqualTo(Http.JSON.valueToTree(List.of("async done x")));
        assertThat(done.archetype().path("done").asBoolean()).as("the walker's state after the run").isTrue();
        assertThat(done.archetype().path("label").asText()).isEqualTo("x");
        assertThat(done.root()).isEqualTo(u.root());
        assertThat(http.post("/walker/count_owned", Map.of(), u.token()).reports().get(0).asLong())
                .as("root, tally, item, two edges, the walker document").isEqualTo(6);
    }

    @Test
    void anAsyncWalkerRunsOnTheNodeItWasCalledOn() {
        User u = user();
        String id = http.post("/walker/slow_async/" + u.tally(), Map.of("label", "on tally"), u.token()).body().path("walker_id").asText();

        WalkerDocument done = finished(id);
        assertThat(done.schedule().path("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.schedule().path("node_id").asText()).isEqualTo(u.tally());
    }

    @Test
    void anAsyncCallIsCheckedLikeAnyCallBeforeItIsAnswered() {
        User u = user();
        assertThat(http.post("/walker/slow_async", Map.of(), u.token()).status()).as("label is required").isEqualTo(422);
        assertThat(http.post("/walker/slow_async/n:Tally:" + Id.random().hex(), Map.of("label", "x"), u.token()).status()).isEqualTo(404);
        assertThat(http.post("/walker/slow_async/" + u.tally(), Map.of("label", "x"), user().token()).status())
                .as("someone else's node").isEqualTo(403);
        assertThat(http.post("/walker/slow_async", Map.of("label", "x"), null).status()).isEqualTo(401);
    }

    @Test
    void theWalkersServiceRunsAPrivateWalkerAsAUserOnANode() {
        User u = user();
        WalkerResponse r = walkers().run(u.principal(), u.tally(), new AddToTally(7));
        assertThat(r.status()).isEqualTo(200);
        assertThat(tally(u)).isEqualTo(7);

        WalkerResponse byName = walkers().run(u.principal(), u.tally(), "add_to_tally", Http.JSON.createObjectNode().put("by", 3));
        assertThat(byName.status()).isEqualTo(200);
        assertThat(tally(u)).isEqualTo(10);
    }

    @Test
    void theWalkersServiceChecksInputAndAccess() {
        User u = user();
        WalkerResponse bad = walkers().run(u.principal(), u.tally(), "add_to_tally", Http.JSON.createObjectNode().put("by", "many"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(walkers().run(u.principal(), null, "no_such_walker", Http.JSON.createObjectNode()).status()).isEqualTo(404);
        assertThat(walkers().run(user().principal(), u.tally(), new AddToTally(1)).status()).as("another user's node").isEqualTo(403);
        assertThat(tally(u)).isZero();
    }

    @Test
    void theWalkersServiceCreatesTasks() {
        User u = user();
        String id = walkers().createTask(u.principal(), new AddToTally(6), u.tally(), null);
        assertThat(id).startsWith("w:add_to_tally:");

        assertThat(finished(id).schedule().path("status").asText()).isEqualTo("COMPLETED");
        assertThat(tally(u)).isEqualTo(6);
    }
}
