package io.walkerd.graph;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ref ids parse the same whether or not they were parsed before (recent ones are kept by text): every kind, a bare
 * hex id as a root, upper-case hex, and texts that are not ref ids, which are never kept.
 */
class RefIdTest {
    private static final String HEX = "0123456789abcdef01234567";

    @Test
    void everyKindParsesAndParsesAgainTheSame() {
        for (String text : new String[]{"n:Task:" + HEX, "n::" + HEX, "e:Owns:" + HEX, "w:Walk:" + HEX, "o:Note:" + HEX, HEX}) {
            RefId first = RefId.parse(text);
            RefId again = RefId.parse(new String(text)); // an equal text that is another string
            assertThat(first).isNotNull();
            assertThat(again).isEqualTo(first);
            assertThat(first.id()).isEqualTo(Id.of(HEX));
        }
        assertThat(RefId.parse("n:Task:" + HEX).type()).isEqualTo("Task");
        assertThat(RefId.parse(HEX).isRoot()).isTrue();
        assertThat(RefId.parse("e:Owns:" + HEX).kind()).isEqualTo('e');
    }

    @Test
    void upperCaseHexIsTheSameIdAndTheTextStaysTheKey() {
        RefId upper = RefId.parse("n:Task:" + HEX.toUpperCase());
        assertThat(upper.id()).isEqualTo(Id.of(HEX));
        assertThat(RefId.parse("n:Task:" + HEX.toUpperCase())).isEqualTo(upper);
        assertThat(RefId.parse("n:Task:" + HEX)).isEqualTo(upper);
    }

    @Test
    void whatIsNotARefIdIsRefusedEveryTime() {
        for (String bad : new String[]{"", "x:Task:" + HEX, "n:Task:" + HEX.substring(1), "n:Task:" + HEX + "0", "nTask" + HEX,
                "n:Task:0123456789abcdef0123456g", "n-Task-" + HEX}) {
            assertThat(RefId.parse(bad)).as(bad).isNull();
            assertThat(RefId.parse(bad)).as(bad + ", again").isNull();
        }
        assertThat(RefId.parse(null)).isNull();
    }

    @Test
    void manyDistinctTextsSharingSlotsEachParseToTheirOwnId() {
        // far more texts than slots: every one must come back as its own, whatever it displaced
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 200_000; i++) {
                String hex = String.format("%024x", i);
                RefId r = RefId.parse("n:Task:" + hex);
                assertThat(r.id().hex()).isEqualTo(hex);
                assertThat(r.type()).isEqualTo("Task");
            }
        }
    }
}
