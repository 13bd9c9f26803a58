package io.walkerd.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.graph.Id;
import io.walkerd.store.ObjectRecord;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Savable objects: stored by id in the object collection, with the access rules and versions of nodes. */
class SavableObjectTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    record User(String token, String root) {}

    static User user() {
        JsonNode login = http.newUser();
        return new User(login.path("token").asText(), "n::" + login.path("user").path("root_id").asText());
    }

    static Http.Response call(User u, String walker, Map<String, Object> body) {
        return http.post("/walker/" + walker, body, u.token());
    }

    static String saved(User u, String text) {
        Http.Response r = call(u, "save_memo", Map.of("text", text));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.reports().get(0).path("id").asText();
    }

    static JsonNode get(User u, String id) {
        Http.Response r = call(u, "get_memo", Map.of("memo_id", id));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.reports().get(0);
    }

    static ObjectRecord stored(String id) {
        List<ObjectRecord> found = server.walkerd().store().store().objects(List.of(Id.of(id.substring(id.lastIndexOf(':') + 1))));
        return found.isEmpty() ? null : found.get(0);
    }

    @Test
    void aSavedObjectHasAnObjectRefIdAndLoadsBackInALaterCall() {
        User u = user();
        Http.Response r = call(u, "save_memo", Map.of("text", "milk"));
        JsonNode memo = r.reports().get(0);
        assertThat(memo.path("id").asText()).matches("o:Memo:[0-9a-f]{24}");
        assertThat(memo.path("context").path("text").asText()).isEqualTo("milk");
        assertThat(memo.path("context").path("at").asText()).isEqualTo("2024-05-06T07:08:09Z");

        assertThat(get(u, memo.path("id").asText())).isEqualTo(memo);
        ObjectRecord doc = stored(memo.path("id").asText());
        assertThat(doc.name()).isEqualTo("Memo");
        assertThat(doc.root().hex()).isEqualTo(u.root().substring(3));
        assertThat(doc.version()).isEqualTo(1);
    }

    @Test
    void changesToALoadedObjectAreSavedWithANewVersion() {
        User u = user();
        String id = saved(u, "milk");
        Http.Response r = call(u, "edit_memo", Map.of("memo_id", id, "text", "oat milk"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);

        JsonNode after = get(u, id);
        assertThat(after.path("context").path("text").asText()).isEqualTo("oat milk");
        assertThat(after.path("context").path("tags")).isEqualTo(Http.JSON.valueToTree(List.of("edited")));
        assertThat(stored(id).version()).isEqualTo(2);
    }

    @Test
    void aDestroyedObjectIsGone() {
        User u = user();
        String id = saved(u, "milk");
        assertThat(call(u, "drop_memo", Map.of("memo_id", id)).status()).isEqualTo(200);

        assertThat(get(u, id).isNull()).isTrue();
        assertThat(stored(id)).isNull();
    }

    @Test
    void anUnknownIdOrANodesIdLoadsNothing() {
        User u = user();
        assertThat(get(u, "o:Memo:" + Id.random().hex()).isNull()).isTrue();
        assertThat(get(u, u.root()).isNull()).isTrue();
        assertThat(get(u, "not an id").isNull()).isTrue();
    }

    @Test
    void aWalkerThatFailsAfterSavingSavesNothing() {
        User u = user();
        Http.Response r = call(u, "save_memo", Map.of("text", "gone", "failAfter", true));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(http.post("/walker/count_owned", Map.of(), u.token()).reports().get(0).asLong()).isEqualTo(1);
    }

    @Test
    void objectsCountAsOwnedAndAResetDeletesThem() {
        User u = user();
        String id = saved(u, "a");
        saved(u, "b");
        assertThat(http.post("/walker/count_owned", Map.of(), u.token()).reports().get(0).asLong()).isEqualTo(3);

        Http.Response reset = http.post("/walker/reset_and_build", Map.of(), u.token());
        assertThat(reset.reports().get(0).asLong()).as("the two objects").isEqualTo(2);
        assertThat(stored(id)).isNull();
        assertThat(http.post("/walker/count_owned", Map.of(), u.token()).reports().get(0).asLong())
                .as("root, and the item and edge built after the reset").isEqualTo(3);
    }

    @Test
    void anotherUserNeedsAGrantToReadAndWriteToChangeOrDelete() {
        User owner = user();
        User other = user();
        String id = saved(owner, "secret");
        assertThat(get(other, id).isNull()).as("no access").isTrue();

        call(owner, "share_memo", Map.of("memo_id", id, "root_id", other.root(), "level", "READ"));
        assertThat(get(other, id).path("context").path("text").asText()).isEqualTo("secret");
        assertThat(call(other, "edit_memo", Map.of("memo_id", id, "text", "changed")).status()).isEqualTo(200);
        assertThat(get(owner, id).path("context").path("text").asText()).as("READ does not save").isEqualTo("secret");
        call(other, "drop_memo", Map.of("memo_id", id));
        assertThat(stored(id)).as("READ does not delete").isNotNull();

        call(owner, "share_memo", Map.of("memo_id", id, "root_id", other.root(), "level", "WRITE"));
        call(other, "edit_memo", Map.of("memo_id", id, "text", "changed"));
        assertThat(get(owner, id).path("context").path("text").asText()).as("WRITE saves").isEqualTo("changed");
        call(other, "drop_memo", Map.of("memo_id", id));
        assertThat(stored(id)).isNull();
    }
}
