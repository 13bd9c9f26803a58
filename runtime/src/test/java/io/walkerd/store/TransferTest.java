package io.walkerd.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walkerd.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Export to JSON lines and import back, between two stores. */
class TransferTest {
    @TempDir
    Path dir;

    private SqliteStore sqlite(String name) {
        return SqliteStore.open(dir.resolve(name), SqliteStore.Sync.NORMAL);
    }

    @Test
    void aSqliteStoreExportedAndImportedIntoAFreshFileHasIdenticalDocuments() throws Exception {
        Path file = dir.resolve("export.jsonl");
        try (Store from = sqlite("from.db"); Store to = sqlite("to.db")) {
            StoreContract.fillWithEveryKindOfDocument(from);

            Map<String, Long> written = Transfer.exportTo(from, file);
            Map<String, Long> read = Transfer.importFrom(file, to);

            assertThat(StoreContract.exportById(to)).isEqualTo(StoreContract.exportById(from));
            assertThat(read).isEqualTo(written);
            assertThat(written).containsExactly(Map.entry("user", 2L), Map.entry("node", 6L),
                    Map.entry("edge", 2L), Map.entry("object", 2L), Map.entry("walker", 2L), Map.entry("webhook", 2L));
            assertThat(to.userByEmail("x@example.com")).isEqualTo(from.userByEmail("x@example.com"));
        }
    }

    @Test
    void eachLineIsOneDocumentWithItsCollection() throws Exception {
        Path file = dir.resolve("export.jsonl");
        try (Store from = sqlite("from.db")) {
            StoreContract.fillWithEveryKindOfDocument(from);
            Transfer.exportTo(from, file);
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(16);
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode n = json.readTree(line);
            assertThat(n.size()).isEqualTo(2);
            assertThat(Store.COLLECTIONS).contains(n.path("collection").asText());
            assertThat(n.path("document").path("_id").asText()).matches("[0-9a-f]{24}");
        }
        assertThat(json.readTree(lines.get(0)).path("collection").asText()).isEqualTo("user");
    }

    @Test
    void anExportReplacesAnOlderFileAndLeavesNothingBeside() throws Exception {
        Path file = dir.resolve("export.jsonl");
        Files.writeString(file, "older export\n");
        try (Store from = sqlite("from.db")) {
            Transfer.exportTo(from, file);
        }

        assertThat(Files.readString(file)).isEmpty();
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".partial"));
        }
    }

    @Test
    void aLineThatIsNotADocumentIsNamedAndNothingIsImported() throws Exception {
        Path file = dir.resolve("broken.jsonl");
        Files.writeString(file, """
                {"collection":"walker","document":{"_id":"aaaaaaaaaaaaaaaaaaaaaaaa","root":"bbbbbbbbbbbbbbbbbbbbbbbb"}}

                {"collection":"sessions","document":{}}
                """);
        try (Store to = sqlite("to.db")) {
            assertThatThrownBy(() -> Transfer.importFrom(file, to))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("line 3")
                    .hasMessageContaining("collection");
            assertThat(StoreContract.exportById(to)).isEmpty();
        }
    }

    @Test
    void aDocumentTheStoreRefusesIsNamedByItsLine() throws Exception {
        Path file = dir.resolve("broken.jsonl");
        Files.writeString(file, """
                {"collection":"node","document":{"name":"no id"}}
                """);
        try (Store to = sqlite("to.db")) {
            assertThatThrownBy(() -> Transfer.importFrom(file, to))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("line 1")
                    .hasMessageContaining("_id");
        }
    }
}
