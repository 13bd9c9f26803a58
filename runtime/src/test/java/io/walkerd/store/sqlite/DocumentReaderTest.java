package io.walkerd.store.sqlite;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.walkerd.store.EdgeRecord;
import io.walkerd.store.NodeRecord;
import io.walkerd.store.ObjectRecord;
import io.walkerd.store.StoredJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one-pass reader reads every document as StoredJson's tree readers do, odd ones included. */
class DocumentReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DocumentReader reader = new DocumentReader(JSON);

    private static final String ID = "\"_id\":\"0123456789abcdef01234567\",\"root\":\"aaaaaaaaaaaaaaaaaaaaaaaa\"";

    @Test
    void nodesReadAsTheTreeReaderReadsThem() throws Exception {
        for (String doc : List.of(
                "{" + ID + ",\"name\":\"Task\",\"access\":{\"all\":\"NO_ACCESS\",\"roots\":{\"anchors\":{}}},\"edges\":[\"e:Holds:0123456789abcdef01234568\"],"
                        + "\"archetype\":{\"title\":\"é ü \\\"q\\\"\",\"n\":12345678901,\"f\":1.5,\"list\":[1,{\"a\":null}]},\"version\":7}",
                "{" + ID + "}", // no name, access, edges, fields or version
                "{\"version\":\"3\"," + ID + ",\"name\":null,\"access\":[1],\"edges\":{\"a\":\"x\",\"b\":2},\"archetype\":[1,2]}",
                "{" + ID + ",\"name\":7,\"edges\":[\"x\",3,null,{\"y\":1},[\"z\"]],\"archetype\":{\"a\":1},\"archetype\":{\"b\":2},\"extra\":{\"deep\":[1,2,{}]}}",
                "{" + ID + ",\"name\":\"N\",\"edges\":[],\"version\":true,\"archetype\":\"text\"}",
                "{" + ID + ",\"name\":\"N\",\"version\":12345678901234567890,\"archetype\":{}}",
                "{" + ID + ",\"root\":\"BBBBBBBBBBBBBBBBBBBBBBBB\",\"name\":\"N\",\"version\":2.9}")) {
            NodeRecord fromTree = StoredJson.node(JSON.readTree(doc));
            NodeRecord oneStep = reader.node(doc.getBytes(StandardCharsets.UTF_8));
            assertThat(oneStep).as(doc).isEqualTo(fromTree);
            assertThat(oneStep.archetype()).as(doc).isEqualTo(fromTree.archetype());
            assertThat(oneStep.access()).as(doc).isEqualTo(fromTree.access());
        }
    }

    @Test
    void edgesAndObjectsReadAsTheTreeReaderReadsThem() throws Exception {
        for (String doc : List.of(
                "{" + ID + ",\"name\":\"Holds\",\"access\":{\"all\":\"READ\",\"roots\":{\"anchors\":{\"n::aaaaaaaaaaaaaaaaaaaaaaaa\":\"WRITE\"}}},"
                        + "\"source\":\"n:P:0123456789abcdef01234569\",\"target\":\"n:T:0123456789abcdef0123456a\",\"is_undirected\":true,"
                        + "\"archetype\":{\"position\":3},\"version\":2}",
                "{" + ID + "}",
                "{" + ID + ",\"source\":5,\"target\":null,\"is_undirected\":\"true\",\"archetype\":null,\"version\":\"x\"}")) {
            assertThat(reader.edge(doc.getBytes(StandardCharsets.UTF_8))).as(doc).isEqualTo(StoredJson.edge(JSON.readTree(doc)));
            ObjectRecord object = reader.object(doc.getBytes(StandardCharsets.UTF_8));
            assertThat(object).as(doc).isEqualTo(StoredJson.objectRecord(JSON.readTree(doc)));
        }
    }

    @Test
    void theFieldsAreTheirSliceOfTheStoredText() {
        String fields = "{\"title\":\"x\",\"nested\":{\"a\":[1,2,{\"b\":\"}\"}]}}";
        String doc = "{" + ID + ",\"name\":\"N\",\"archetype\":" + fields + ",\"version\":1}";
        NodeRecord n = reader.node(doc.getBytes(StandardCharsets.UTF_8));
        assertThat(n.fields().hasText()).isTrue();
        assertThat(n.fields().toString()).isEqualTo(fields);
        EdgeRecord e = reader.edge(("{" + ID + ",\"archetype\":{\"é\":\"ü\"}}").getBytes(StandardCharsets.UTF_8));
        assertThat(e.fields().toString()).isEqualTo("{\"é\":\"ü\"}");
    }

    @Test
    void documentsWithTheSamePolicyShareItsTree() {
        String access = "\"access\":{\"all\":\"NO_ACCESS\",\"roots\":{\"anchors\":{}}}";
        NodeRecord a = reader.node(("{" + ID + "," + access + "}").getBytes(StandardCharsets.UTF_8));
        NodeRecord b = reader.node(("{\"name\":\"Other\"," + ID + "," + access + "}").getBytes(StandardCharsets.UTF_8));
        NodeRecord c = reader.node(("{" + ID + ",\"access\":{\"all\":\"READ\"}}").getBytes(StandardCharsets.UTF_8));
        assertThat(a.access()).isSameAs(b.access());
        assertThat(c.access()).isNotSameAs(a.access());
        assertThat(c.access().path("all").asText()).isEqualTo("READ");
    }

    @Test
    void whatIsNotAnObjectOrNotJsonIsRefused() {
        assertThatThrownBy(() -> reader.node("[1]".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> reader.node(("{" + ID + ",\"archetype\":{\"a\":").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> reader.node("{\"name\":\"N\"}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theCacheStaysWithinItsBudget() {
        DocumentCache<Integer> cache = new DocumentCache<>(16 * 100);
        for (int i = 0; i < 1_000; i++) cache.offer("k" + i, new byte[100], i);
        assertThat(cache.size()).isLessThanOrEqualTo(16 * 100);
        cache.offer("big", new byte[1_000], -1); // over a sixteenth of the budget: not kept
        assertThat(cache.get("big")).isNull();
        cache.put("k999", new byte[1_000]); // a committed text too large to keep: the old one is not kept either
        assertThat(cache.get("k999")).isNull();
    }
}
