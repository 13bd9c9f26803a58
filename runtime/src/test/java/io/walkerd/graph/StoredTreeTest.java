package io.walkerd.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stored fields put into a response as they are: written as their text, read like any tree, never changed. */
class StoredTreeTest {
    private final ArchetypeJson json = ArchetypeJson.standard();
    private static final String TEXT = "{\"title\":\"caf\u00e9 \\\"x\\\"\",\"n\":1.50,\"list\":[1,{\"a\":null}],\"none\":null}";

    private JsonNode tree() {
        byte[] bytes = ("{\"archetype\":" + TEXT + "}").getBytes(StandardCharsets.UTF_8);
        int at = "{\"archetype\":".length();
        return StoredFields.text(bytes, at, bytes.length - at - 1, json.storage()).context();
    }

    @Test
    void writtenAsItsTextThroughBytesAndThroughCharacters() throws Exception {
        ObjectMapper m = json.response();
        JsonNode t = tree();
        ObjectNode wrapped = m.createObjectNode();
        wrapped.set("context", t);
        String expected = "{\"context\":" + TEXT + "}";
        assertThat(new String(m.writeValueAsBytes(wrapped), StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(m.writeValueAsString(wrapped)).isEqualTo(expected);
        // a pretty printer prints the tree as any other
        assertThat(m.writerWithDefaultPrettyPrinter().writeValueAsString(t)).contains("\n").contains("\"title\" : ");
    }

    @Test
    void readLikeAnyTreeAndEqualToOne() throws Exception {
        JsonNode t = tree();
        assertThat(t.get("title").asText()).isEqualTo("caf\u00e9 \"x\"");
        assertThat(t.get("list").get(1).has("a")).isTrue();
        assertThat(t.size()).isEqualTo(4);
        assertThat(t).isEqualTo(new ObjectMapper().readTree(TEXT));
        assertThat(new ObjectMapper().readTree(TEXT)).isEqualTo(t);
    }

    @Test
    void cannotBeChangedButCanBeCopied() {
        ObjectNode t = (ObjectNode) tree();
        assertThatThrownBy(() -> t.put("title", "other")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> t.remove("title")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(t::removeAll).isInstanceOf(UnsupportedOperationException.class);
        ObjectNode copy = t.deepCopy();
        copy.put("title", "other");
        assertThat(copy.get("title").asText()).isEqualTo("other");
        assertThat(t.get("title").asText()).isEqualTo("caf\u00e9 \"x\"");
    }
}
