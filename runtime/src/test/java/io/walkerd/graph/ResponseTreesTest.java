package io.walkerd.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The response mapper builds trees straight from the serializers: the very trees Jackson's token buffer would give. */
class ResponseTreesTest {
    private final ArchetypeJson json = ArchetypeJson.standard();
    private final ObjectMapper response = json.response();

    public enum Level { LOW, HIGH }

    public record Step(String text, boolean done, Optional<String> note) {}

    public static class ResponseThing extends Node {
        public String title = "t";
        public long big = 12_345_678_901L;
        public int small = 7;
        public short tiny = 3;
        public double ratio = 0.1;
        public float f = 1.1f;
        public BigDecimal money = new BigDecimal("12.500");
        public BigInteger huge = new BigInteger("123456789012345678901234567890");
        public Level level = Level.HIGH;
        public List<Step> steps = new ArrayList<>(List.of(new Step("a", false, Optional.empty()), new Step("b", true, Optional.of("n"))));
        public Map<String, Object> meta = new LinkedHashMap<>();
        public Instant at = Instant.parse("2026-01-02T03:04:05.123Z");
        public LocalDate day = LocalDate.of(2026, 1, 2);
        public Duration took = Duration.ofMillis(1500);
        public Optional<String> maybe = Optional.empty();
        public String none;
        public double nan = Double.NaN;
        public JsonNode tree = JsonNodeFactory.instance.objectNode().put("x", 1).set("y", JsonNodeFactory.instance.arrayNode().add(2L));
    }

    public static class SelfReference {
        public SelfReference me;
    }

    /** What valueToTree gave before: serialize into a token buffer, then read it back. */
    private JsonNode throughBuffer(Object value) throws Exception {
        TokenBuffer buf = new TokenBuffer(response, false);
        response.writeValue(buf, value);
        return response.readTree(buf.asParser());
    }

    private void same(Object value) throws Exception {
        JsonNode expected = throughBuffer(value);
        JsonNode built = response.valueToTree(value);
        assertThat(built).isEqualTo(expected);
        assertSameTypes(built, expected);
        assertThat(response.writeValueAsString(built)).isEqualTo(response.writeValueAsString(expected));
    }

    private static void assertSameTypes(JsonNode a, JsonNode b) {
        assertThat(a.getClass()).isEqualTo(b.getClass());
        Iterator<String> names = a.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            assertSameTypes(a.get(n), b.get(n));
        }
        if (a.isArray()) for (int i = 0; i < a.size(); i++) assertSameTypes(a.get(i), b.get(i));
    }

    @Test
    void nodesReportsAndPlainValuesMakeTheSameTrees() throws Exception {
        ResponseThing t = new ResponseThing();
        t.meta.put("n", 3);
        t.meta.put("l", 5_000_000_000L);
        t.meta.put("d", 2.5);
        t.meta.put("null", null);
        t.meta.put("nested", Map.of("k", List.of(1, 2)));
        same(t);
        same(List.of(t, Map.of("projects", 2, "tasks", 2000), "text", 1, true));
        same(new ArrayList<>(Arrays.asList(null, t)));
        same(Map.of("status", 200));
        same(new Step("x", false, Optional.of("y")));
        same(List.of());
        same(42);
        same(new BigDecimal("1E+3"));
        same(new BigDecimal("0.000"));
    }

    @Test
    void whatItDoesNotBuildGoesJacksonsOwnWay() throws Exception {
        Map<String, Object> odd = new LinkedHashMap<>();
        odd.put("bytes", new byte[]{1, 2, 3});
        odd.put("raw", new RawValue("{\"r\":1}"));
        same(odd);
        assertThat(response.valueToTree(odd).get("bytes").isBinary()).isTrue();
        assertThat((JsonNode) response.valueToTree(null)).isEqualTo(JsonNodeFactory.instance.nullNode());
    }

    @Test
    void failuresAreReportedAsBefore() {
        SelfReference loop = new SelfReference();
        loop.me = loop;
        assertThatThrownBy(() -> throughBuffer(loop)).hasMessageContaining("self-reference");
        assertThatThrownBy(() -> response.valueToTree(loop)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("self-reference");
        assertThat(response.copy()).isInstanceOf(ArchetypeJson.ResponseMapper.class);
    }
}
