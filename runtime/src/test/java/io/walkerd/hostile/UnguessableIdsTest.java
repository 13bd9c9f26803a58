package io.walkerd.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.testing.Http;
import io.walkerd.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Root and user ids cannot be guessed from one another. MongoDB ObjectIds made in one second share their first four
 * bytes (the time) and the next five (the process), and count up in the last three: from one's own root id, the
 * neighbours' are a few thousand guesses away. walkerd's ids are 12 random bytes.
 */
class UnguessableIdsTest {
    @RegisterExtension
    static final LiveServer server = new LiveServer();
    static final Http http = server.http();

    @Test
    void idsRegisteredTogetherShareNoTimeNorProcessPartAndAreNotSequential() {
        Set<String> timeParts = new HashSet<>();
        Set<String> processParts = new HashSet<>();
        Set<String> all = new HashSet<>();
        int users = 12;
        long previous = -1;
        boolean sequential = true;
        for (int i = 0; i < users; i++) {
            JsonNode user = http.newUser().get("user");
            for (String id : new String[]{user.get("root_id").asText(), user.get("id").asText()}) {
                assertThat(id).matches("[0-9a-f]{24}");
                all.add(id);
                timeParts.add(id.substring(0, 8));
                processParts.add(id.substring(8, 18));
            }
            long counter = Long.parseLong(user.get("root_id").asText().substring(18), 16);
            if (previous >= 0 && Math.abs(counter - previous) > 16) sequential = false;
            previous = counter;
        }
        assertThat(all).hasSize(2 * users);
        assertThat(timeParts).as("no shared time prefix").hasSize(2 * users);
        assertThat(processParts).as("no shared process part").hasSize(2 * users);
        assertThat(sequential).as("the last bytes do not count up").isFalse();
    }
}
