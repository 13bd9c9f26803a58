package io.walkerd.auth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.walkerd.graph.Access;
import io.walkerd.graph.Id;
import io.walkerd.store.StoredJson;
import io.walkerd.store.UserRecord;
import io.walkerd.store.sqlite.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token versions read from the store are trusted for a second: revocation is at once on the instance that changed
 * the password and within {@link TokenService#TRUSTED_MS} on the others.
 */
class TokenServiceTest {
    private final SqliteStore store = SqliteStore.inMemory();
    private final TokenService here = new TokenService("a-secret-of-the-test-suite-0123456789", "HS256", 1, store);
    private final TokenService elsewhere = new TokenService("a-secret-of-the-test-suite-0123456789", "HS256", 1, store);
    private final UserRecord user = new UserRecord(Id.random(), "t@example.com", "hash", Id.random(), true, false, 0,
            JsonNodeFactory.instance.objectNode());

    @AfterEach
    void close() { store.close(); }

    private String tokenAfterChange() {
        assertThat(store.changePassword(user.id(), "new-hash", 0)).isTrue();
        return here.issue(new UserRecord(user.id(), user.email(), "new-hash", user.rootId(), true, false, 1, user.extra()));
    }

    @Test
    void aChangedPasswordRevokesAtOnceHereAndWithinTheTrustedTimeElsewhere() throws Exception {
        assertThat(store.createUser(user, StoredJson.root(user.rootId(), Access.NO_ACCESS.name()))).isTrue();
        String old = here.issue(user);
        assertThat(here.authenticate(old)).map(Principal::rootId).contains(user.rootId());
        assertThat(elsewhere.authenticate("Bearer " + old)).isPresent();

        String fresh = tokenAfterChange();
        here.revoked(user.id());
        assertThat(here.authenticate(old)).isEmpty();
        assertThat(here.authenticate(fresh)).isPresent();
        assertThat(elsewhere.authenticate(fresh)).as("a newer token is checked against the store at once").isPresent();
        Thread.sleep(TokenService.TRUSTED_MS + 100);
        assertThat(elsewhere.authenticate(old)).isEmpty();
        assertThat(elsewhere.authenticate(fresh)).isPresent();
    }

    @Test
    void unknownUsersAndBadTokensAreRefused() {
        String orphan = here.issue(user); // never stored
        assertThat(here.authenticate(orphan)).isEmpty();
        assertThat(here.authenticate(orphan.substring(0, orphan.length() - 2) + "xx")).isEmpty();
        assertThat(here.authenticate(null)).isEmpty();
        assertThat(here.authenticate("Bearer ")).isEmpty();
    }
}
