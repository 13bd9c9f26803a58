package io.walkerd.graph;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.DatatypeFeatures;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.introspect.VisibilityChecker;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.util.List;

/**
 * The two JSON views of archetypes, one pair per server (so that an application's Jackson modules stay with its
 * server). {@link #storage()} maps an archetype to its public fields (what the store keeps and what a walker takes
 * as input); {@link #response()} writes any node, edge, object or walker met inside a response as
 * {@code {"id": <ref id>, "context": {<fields>}}}.
 *
 * <p>Both know {@code java.time} types (written as ISO-8601 text), {@code Optional} (its value, or null), records
 * and enums (by name), plus whatever modules the application's plugins add.
 */
public final class ArchetypeJson {
    private final ObjectMapper storage;
    private final ObjectMapper response;
    private final FieldSnapshot snapshots;

    /** The mappers with the built-in modules and then {@code modules}, in order. */
    public ArchetypeJson(List<? extends Module> modules) {
        StorageMapper storageMapper = base(new StorageMapper(), modules);
        this.storage = storageMapper;
        this.snapshots = new FieldSnapshot(storage, storageMapper::readsAsPlainBean);
        this.response = base(new ResponseMapper(), modules).registerModule(responseModule());
    }

    /** The mappers with the built-in modules only. */
    public static ArchetypeJson standard() { return new ArchetypeJson(List.of()); }

    /** Archetypes as their public fields: the stored form, and how walker input is read. */
    public ObjectMapper storage() { return storage; }

    /** Responses and notifications: archetypes as {@code {"id", "context"}}. */
    public ObjectMapper response() { return response; }

    /** The stored form of an archetype's fields. */
    public ObjectNode toJson(Archetype archetype) {
        return storage.valueToTree(archetype);
    }

    public <T> T fromJson(ObjectNode fields, Class<T> type) {
        try {
            // straight from the tree: convertValue would first copy it into a token buffer
            return storage.treeToValue(fields == null ? storage.createObjectNode() : fields, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /** An archetype of {@code type} read from its stored fields: straight from the text where they are text. */
    public <T> T fromStored(StoredFields fields, Class<T> type) {
        if (!fields.hasText()) return fromJson(fields.tree(), type);
        try (JsonParser p = fields.parser()) {
            return storage.readValue(p, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The values of a just-loaded archetype's stored fields, kept for {@link #unchangedSince}; null when they cannot
     * be kept (see {@link FieldSnapshot}): then only printing tells whether it changed.
     */
    public Object[] snapshot(Archetype archetype) { return snapshots.take(archetype); }

    /** True when {@code archetype}'s stored fields hold the values of {@code snapshot}: it prints as it did then. */
    public boolean unchangedSince(Archetype archetype, Object[] snapshot) {
        return snapshot != null && snapshots.same(archetype, snapshot);
    }

    /**
     * An archetype of {@code type} as {@link #fromStored} reads it from {@code fields}, made from the snapshot kept
     * with those fields by an earlier read ({@link StoredFields#template}) instead of reading them again; null when
     * there is none or the type is not made that way; with the snapshot of its values as read (or null).
     */
    public <T extends Archetype> Loaded<T> load(StoredFields fields, Class<T> type) {
        Object[] template = fields.template(this, type);
        if (template != null) {
            T made = snapshots.make(type, template);
            if (made != null) return new Loaded<>(made, template);
        }
        T read = fromStored(fields, type);
        Object[] snapshot = snapshots.take(read);
        if (snapshot != null) fields.keepTemplate(this, type, snapshot);
        return new Loaded<>(read, snapshot);
    }

    /** An archetype read from stored fields, and the snapshot of its values as read (null when not kept). */
    public record Loaded<T extends Archetype>(T archetype, Object[] snapshot) {}

    /**
     * True when the stored form of {@code archetype} ({@link #toJson}, printed) is byte for byte the text of
     * {@code fields}: the archetype has not changed since it was read. Costs one print of the archetype into a
     * comparison (no tree, no copy). False when the fields are not text or differ in any way, also in form only (a
     * number written otherwise, fields in another order): then compare the trees to know.
     */
    public boolean printsAs(Archetype archetype, StoredFields fields) {
        if (!fields.hasText()) return false;
        Matching out = new Matching(fields);
        try {
            storage.writeValue(out, archetype);
        } catch (IOException e) {
            return false;
        }
        return out.matched();
    }

    /** Compares what is written to it with stored text, as it comes, keeping nothing. */
    private static final class Matching extends java.io.OutputStream {
        private final StoredFields expected;
        private int at;
        private boolean differs;
        private final byte[] one = new byte[1];

        Matching(StoredFields expected) { this.expected = expected; }

        @Override
        public void write(int b) {
            one[0] = (byte) b;
            write(one, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (differs) return;
            if (expected.continuesWith(at, b, off, len)) at += len;
            else differs = true;
        }

        boolean matched() { return !differs && at == expected.length(); }
    }

    private static <M extends ObjectMapper> M base(M m, List<? extends Module> modules) {
        m.setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE);
        m.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY);
        m.setVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY);
        // records have no public fields: their accessors are their properties (in nodes, inputs and reports alike)
        m.setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
            @Override
            public VisibilityChecker<?> findAutoDetectVisibility(AnnotatedClass ac, VisibilityChecker<?> checker) {
                VisibilityChecker<?> v = super.findAutoDetectVisibility(ac, checker);
                return ac.getRawType().isRecord() ? v.withGetterVisibility(JsonAutoDetect.Visibility.PUBLIC_ONLY) : v;
            }
        });
        m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        m.configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
        // the storage view is written into responses node by node: never flush the response's stream per node
        m.configure(SerializationFeature.FLUSH_AFTER_WRITE_VALUE, false);
        m.registerModule(new JavaTimeModule());
        m.registerModule(new Jdk8Module());
        m.configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);
        m.configure(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS, false);
        m.configure(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE, false);
        for (Module module : modules) m.registerModule(module);
        return m;
    }

    /** The storage mapper, which can tell whether it reads a type with Jackson's own bean deserializer. */
    static final class StorageMapper extends ObjectMapper {
        StorageMapper() {}

        private StorageMapper(StorageMapper src) { super(src); }

        @Override
        public ObjectMapper copy() {
            return new StorageMapper(this);
        }

        /**
         * True when a value of {@code type} is read by Jackson's plain bean deserializer (no module's deserializer
         * or modifier in between): a no-arg constructor then fields, or a record's canonical constructor.
         */
        boolean readsAsPlainBean(Class<?> type) {
            try {
                com.fasterxml.jackson.databind.deser.DefaultDeserializationContext ctxt =
                        createDeserializationContext(null, getDeserializationConfig());
                com.fasterxml.jackson.databind.JsonDeserializer<Object> d = ctxt.findRootValueDeserializer(constructType(type));
                if (d.getClass() != com.fasterxml.jackson.databind.deser.BeanDeserializer.class) return false;
                com.fasterxml.jackson.databind.deser.ValueInstantiator v =
                        ((com.fasterxml.jackson.databind.deser.BeanDeserializer) d).getValueInstantiator();
                return v.getClass() == com.fasterxml.jackson.databind.deser.std.StdValueInstantiator.class
                        && (type.isRecord() ? v.canCreateFromObjectWith() : v.canCreateUsingDefault() && !v.canCreateFromObjectWith());
            } catch (com.fasterxml.jackson.databind.DatabindException | RuntimeException e) {
                return false;
            }
        }
    }

    /**
     * The response mapper: an ObjectMapper whose {@code valueToTree} (how a walk's reports, returns and body become
     * the trees a response, a task's document or a hook holds) builds the tree straight from the serializers'
     * output ({@link TreeGenerator}) instead of writing every token into a buffer and reading it back: the same
     * tree (the same node types, numbers included), at a fraction of the work. For a walk reporting 2,000 nodes that
     * buffer and its reading were 21% of the request's time. Anything the generator does not build exactly as the
     * buffer would, and any setting that changes how trees are read, takes Jackson's own way.
     */
    static final class ResponseMapper extends ObjectMapper {
        ResponseMapper() {}

        private ResponseMapper(ResponseMapper src) { super(src); }

        @Override
        public ObjectMapper copy() {
            return new ResponseMapper(this);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends JsonNode> T valueToTree(Object fromValue) throws IllegalArgumentException {
            if (fromValue == null || !treesAsByDefault()) return super.valueToTree(fromValue);
            TreeGenerator g = new TreeGenerator(this, getNodeFactory(), tokenStreamFactory().streamWriteConstraints());
            try {
                _serializerProvider(getSerializationConfig()).serializeValue(g, fromValue);
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            return g.unsupported() ? super.valueToTree(fromValue) : (T) g.root();
        }

        /** Reading a tree back from a buffer is done with Jackson's defaults: no setting changes what it makes. */
        private boolean treesAsByDefault() {
            DeserializationConfig c = getDeserializationConfig();
            if (c.hasSomeOfFeatures(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS.getMask()
                    | DeserializationFeature.USE_BIG_INTEGER_FOR_INTS.getMask() | DeserializationFeature.USE_LONG_FOR_INTS.getMask()
                    | DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY.getMask())) {
                return false;
            }
            DatatypeFeatures types = c.getDatatypeFeatures();
            for (JsonNodeFeature f : JsonNodeFeature.values()) if (types.isExplicitlySet(f)) return false;
            return !getSerializationConfig().isEnabled(SerializationFeature.WRAP_ROOT_VALUE);
        }
    }

    private SimpleModule responseModule() {
        SimpleModule module = new SimpleModule("walkerd-response");
        module.addSerializer(Archetype.class, new StdSerializer<>(Archetype.class) {
            @Override
            public void serialize(Archetype value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeStartObject();
                gen.writeStringField("id", refIdOf(value));
                gen.writeFieldName("context");
                JsonNode stored = storedContext(value);
                if (stored == null) storage.writeValue(gen, value); // the stored view, written straight into this response
                else if (gen instanceof TreeGenerator tree) tree.insert(stored);
                else gen.writeTree(stored);
                gen.writeEndObject();
            }
        });
        return module;
    }

    /**
     * The stored fields of an archetype read from the store and not changed since, when it prints as their very
     * text (found so by an earlier commit): a read-only tree that a response writes as that text. Null otherwise:
     * then the archetype is printed.
     */
    private JsonNode storedContext(Archetype a) {
        Anchor anchor = a instanceof Node n ? n.anchorIfAttached() : a instanceof Edge e ? e.anchorIfAttached()
                : a instanceof Obj o ? o.anchorIfAttached() : null;
        if (anchor == null || anchor.isNew() || anchor.isDeferred()) return null;
        StoredFields fields = anchor.loaded();
        if (!fields.hasText() || !fields.printedAs(this, a.getClass())) return null;
        boolean unchanged = unchangedSince(a, anchor.snapshot());
        anchor.foundUnchangedAtEnd(unchanged);
        return unchanged ? fields.context() : null;
    }

    private static String refIdOf(Archetype a) {
        if (a instanceof Node n) return n.refIdWithoutAdopting();
        if (a instanceof Edge e) return e.isAttached() ? e.id() : null;
        if (a instanceof Obj o) return o.refIdWithoutSaving();
        if (a instanceof Identified i) return i.refId();
        return null;
    }

    /** An archetype that has its own ref id without being stored (walkers). */
    public interface Identified {
        String refId();
    }
}
