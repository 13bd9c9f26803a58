package io.walkerd.graph;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commit's shortcut: an archetype whose field values equal those it was loaded with is unchanged. Every kind of
 * change a walker can make in place must be seen, and anything the snapshot cannot follow must make it absent (then
 * the commit prints and compares).
 */
class FieldSnapshotTest {
    private final ArchetypeJson json = ArchetypeJson.standard();

    public enum Level { LOW, HIGH }

    public record Window(LocalDate from, List<String> days) {}

    public static class Inner {
        public String text = "a";
        public int count;
        public List<Inner> children = new ArrayList<>();
    }

    public static class Thing extends Node {
        public String title = "t";
        public boolean done;
        public double weight = 1.5;
        public Level level = Level.LOW;
        public List<String> labels = new ArrayList<>(List.of("x", "y"));
        public Map<String, Object> meta = new LinkedHashMap<>(Map.of("n", 1));
        public Inner inner = new Inner();
        public Window window = new Window(LocalDate.of(2026, 1, 1), new ArrayList<>(List.of("mon")));
        public Optional<String> note = Optional.of("n");
        public int[] scores = {1, 2};
        public Long big;
    }

    /** Read from its stored form, as a walk gets it. */
    private Thing loaded() {
        Thing t = new Thing();
        t.meta.put("list", new ArrayList<>(List.of(1, "two")));
        t.inner.children.add(new Inner());
        return json.fromJson(json.toJson(t), Thing.class);
    }

    private void assertSeen(Consumer<Thing> change) {
        Thing t = loaded();
        Object[] snap = json.snapshot(t);
        assertThat(snap).as("a plain archetype is snapshotted").isNotNull();
        assertThat(json.unchangedSince(t, snap)).isTrue();
        change.accept(t);
        assertThat(json.unchangedSince(t, snap)).as("the change is seen").isFalse();
    }

    @Test
    void everyChangeInPlaceIsSeen() {
        assertSeen(t -> t.title = "u");
        assertSeen(t -> t.title = null);
        assertSeen(t -> t.done = true);
        assertSeen(t -> t.weight = 2.5);
        assertSeen(t -> t.level = Level.HIGH);
        assertSeen(t -> t.labels.add("z"));
        assertSeen(t -> t.labels.set(0, "w"));
        assertSeen(t -> java.util.Collections.swap(t.labels, 0, 1));
        assertSeen(t -> t.meta.put("n", 2));
        assertSeen(t -> t.meta.put("n", 1L)); // the same number of another class: decided by printing
        assertSeen(t -> t.meta.remove("n"));
        assertSeen(t -> ((List<Object>) t.meta.get("list")).add(3));
        assertSeen(t -> t.inner.count++);
        assertSeen(t -> t.inner.children.get(0).text = "b");
        assertSeen(t -> t.inner = new Inner());
        assertSeen(t -> t.window.days().add("tue")); // a record's list, changed inside the record
        assertSeen(t -> t.window = new Window(LocalDate.of(2026, 1, 2), t.window.days()));
        assertSeen(t -> t.note = Optional.empty());
        assertSeen(t -> t.scores[1] = 3);
        assertSeen(t -> t.big = 7L);
        assertSeen(t -> t.labels = new java.util.LinkedList<>(t.labels)); // another class: decided by printing
    }

    @Test
    void anEqualReplacementIsNoChange() {
        Thing t = loaded();
        Object[] snap = json.snapshot(t);
        t.title = new String("t");
        t.labels = new ArrayList<>(List.of("x", "y"));
        t.window = new Window(LocalDate.of(2026, 1, 1), new ArrayList<>(List.of("mon")));
        assertThat(json.unchangedSince(t, snap)).isTrue();
    }

    public static class Opaque {
        private final StringBuilder state = new StringBuilder("s");

        @Override
        public String toString() { return state.toString(); }
    }

    public static class WithOpaque extends Node {
        public Object value = new Opaque();
    }

    public static class WithAnyGetter extends Node {
        public String name = "n";
        private final Map<String, Object> more = new LinkedHashMap<>();

        @JsonAnyGetter
        public Map<String, Object> more() { return more; }
    }

    public static class WithPrivateProperty extends Node {
        @com.fasterxml.jackson.annotation.JsonProperty
        private String hidden = "h";
    }

    @Test
    void whatCannotBeFollowedIsNotSnapshotted() {
        assertThat(json.snapshot(new WithOpaque())).as("a value of an unknown class").isNull();
        assertThat(json.snapshot(new WithAnyGetter())).as("properties beyond the public fields").isNull();
        assertThat(json.snapshot(new WithPrivateProperty())).as("a non-public property").isNull();
        assertThat(json.unchangedSince(new WithOpaque(), null)).isFalse();
    }

    @Test
    void aValueAWalkerPutsInIsAChange() {
        Thing t = loaded();
        Object[] snap = json.snapshot(t);
        t.meta.put("opaque", new Opaque());
        assertThat(json.unchangedSince(t, snap)).isFalse();
    }

    /** Stored text, as the embedded store hands it out (the same fields object for every read of the same bytes). */
    private StoredFields stored(Archetype a) {
        byte[] text = json.toJson(a).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return StoredFields.text(text, 0, text.length, json.storage());
    }

    @Test
    void aSecondReadOfTheSameFieldsIsMadeFromTheFirstOnesSnapshotAndSharesNothing() {
        Thing original = new Thing();
        original.meta.put("list", new ArrayList<>(List.of(1, "two")));
        original.inner.children.add(new Inner());
        StoredFields fields = stored(original);

        ArchetypeJson.Loaded<Thing> first = json.load(fields, Thing.class);
        assertThat(fields.template(json, Thing.class)).as("kept with the fields").isSameAs(first.snapshot());
        ArchetypeJson.Loaded<Thing> second = json.load(fields, Thing.class);
        assertThat(second.snapshot()).isSameAs(first.snapshot());
        assertThat(second.archetype()).isNotSameAs(first.archetype());
        assertThat(json.toJson(second.archetype())).isEqualTo(json.toJson(json.fromStored(fields, Thing.class)));
        assertThat(json.printsAs(second.archetype(), fields)).as("prints as stored, byte for byte").isTrue();
        assertThat(second.archetype().labels).isInstanceOf(ArrayList.class).isNotSameAs(first.archetype().labels);

        // a walk changing the made archetype in place changes neither the template nor the other reads
        Thing made = second.archetype();
        made.labels.add("z");
        made.inner.children.get(0).text = "changed";
        ((List<Object>) made.meta.get("list")).add(3);
        made.window.days().add("tue");
        made.scores[0] = 9;
        assertThat(json.unchangedSince(made, second.snapshot())).isFalse();
        Thing third = json.load(fields, Thing.class).archetype();
        assertThat(json.printsAs(third, fields)).isTrue();
        assertThat(json.unchangedSince(third, second.snapshot())).isTrue();
        assertThat(json.unchangedSince(first.archetype(), first.snapshot())).isTrue();
    }

    public static class Created extends Node {
        public final String name;

        @com.fasterxml.jackson.annotation.JsonCreator
        public Created(@com.fasterxml.jackson.annotation.JsonProperty("name") String name) { this.name = name + "!"; }
    }

    @Test
    void aTypeReadThroughItsOwnCreatorIsAlwaysRead() {
        byte[] text = "{\"name\":\"a\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        StoredFields fields = StoredFields.text(text, 0, text.length, json.storage());
        Created first = json.load(fields, Created.class).archetype();
        Created second = json.load(fields, Created.class).archetype();
        assertThat(first.name).isEqualTo("a!");
        assertThat(second.name).as("read again through the creator, not made from the snapshot").isEqualTo("a!");
    }
}
