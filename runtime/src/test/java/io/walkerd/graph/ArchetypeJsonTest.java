package io.walkerd.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Archetypes read from stored text, and recognised unchanged by printing them again. */
class ArchetypeJsonTest {
    private static final ObjectMapper STORE = new ObjectMapper();
    private final ArchetypeJson json = ArchetypeJson.standard();

    public static class PrintedThing extends Node {
        public String title = "";
        public long big;
        public double ratio;
        public List<String> labels = new ArrayList<>();
        public Map<String, Object> meta = new LinkedHashMap<>();
        public Instant at;
    }

    /** How the SQLite store writes an archetype: its tree, printed. */
    private StoredFields stored(PrintedThing t) throws Exception {
        byte[] text = STORE.writeValueAsBytes(json.toJson(t));
        byte[] doc = ("{\"x\":1,\"archetype\":" + new String(text, StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8);
        return StoredFields.text(doc, doc.length - 1 - text.length, text.length, STORE);
    }

    private static PrintedThing sample() {
        PrintedThing t = new PrintedThing();
        t.title = "é \"quoted\" \u2028";
        t.big = 12_345_678_901L;
        t.ratio = 0.1;
        t.labels.add("a");
        t.meta.put("n", 3);
        t.meta.put("nested", Map.of("k", List.of(1, 2)));
        t.at = Instant.parse("2026-01-02T03:04:05.123Z");
        return t;
    }

    @Test
    void anArchetypeReadFromItsTextPrintsAsThatText() throws Exception {
        StoredFields fields = stored(sample());
        PrintedThing read = json.fromStored(fields, PrintedThing.class);
        assertThat(read.title).isEqualTo(sample().title);
        assertThat(read.big).isEqualTo(12_345_678_901L);
        assertThat(read.at).isEqualTo(sample().at);
        assertThat(json.printsAs(read, fields)).isTrue();
        assertThat(fields.tree()).isEqualTo(json.toJson(read));
    }

    @Test
    void anyChangeIsSeen() throws Exception {
        StoredFields fields = stored(sample());
        PrintedThing read = json.fromStored(fields, PrintedThing.class);
        read.labels.add("b");
        assertThat(json.printsAs(read, fields)).isFalse();
        read.labels.remove("b");
        assertThat(json.printsAs(read, fields)).isTrue();
        read.meta.put("n", 4);
        assertThat(json.printsAs(read, fields)).isFalse();
        read.meta.put("n", 3);
        read.title = read.title + " ";
        assertThat(json.printsAs(read, fields)).isFalse();
    }

    @Test
    void textInAnotherFormOrATreeIsNotClaimedUnchanged() throws Exception {
        byte[] otherOrder = "{\"labels\":[],\"title\":\"\",\"big\":0,\"ratio\":0.0,\"meta\":{},\"at\":null}".getBytes(StandardCharsets.UTF_8);
        PrintedThing t = new PrintedThing();
        assertThat(json.printsAs(t, StoredFields.text(otherOrder, 0, otherOrder.length, STORE))).isFalse();
        ObjectNode tree = json.toJson(t);
        assertThat(json.printsAs(t, StoredFields.of(tree))).isFalse(); // no text: the caller compares trees
        assertThat(json.fromStored(StoredFields.of(tree), PrintedThing.class).title).isEmpty();
    }
}
