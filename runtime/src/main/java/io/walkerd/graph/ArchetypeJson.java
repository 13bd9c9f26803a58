package io.walkerd.graph;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.introspect.VisibilityChecker;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * The two JSON views of archetypes. {@link #STORAGE} maps an archetype to its public fields (what MongoDB keeps
 * and what a walker takes as input); {@link #RESPONSE} writes any node, edge or walker met inside a response as
 * {@code {"id": <ref id>, "context": {<fields>}}}.
 */
public final class ArchetypeJson {
    public static final ObjectMapper STORAGE = base();
    public static final ObjectMapper RESPONSE = base().registerModule(responseModule());

    private ArchetypeJson() {}

    private static ObjectMapper base() {
        ObjectMapper m = new ObjectMapper();
        m.setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE);
        m.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY);
        m.setVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY);
        // records have no public fields: their accessors are their properties (a walker may report or notify one)
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
        return m;
    }

    /** The stored form of an archetype's fields. */
    public static ObjectNode toJson(Archetype archetype) {
        return STORAGE.valueToTree(archetype);
    }

    public static <T> T fromJson(ObjectNode fields, Class<T> type) {
        try {
            // straight from the tree: convertValue would first copy it into a token buffer
            return STORAGE.treeToValue(fields == null ? STORAGE.createObjectNode() : fields, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    private static SimpleModule responseModule() {
        SimpleModule module = new SimpleModule();
        module.addSerializer(Archetype.class, new StdSerializer<>(Archetype.class) {
            @Override
            public void serialize(Archetype value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeStartObject();
                gen.writeStringField("id", refIdOf(value));
                gen.writeFieldName("context");
                STORAGE.writeValue(gen, value); // the stored view, written straight into this response
                gen.writeEndObject();
            }
        });
        return module;
    }

    private static String refIdOf(Archetype a) {
        if (a instanceof Node n) return n.refIdWithoutAdopting();
        if (a instanceof Edge e) return e.isAttached() ? e.id() : null;
        if (a instanceof Identified i) return i.refId();
        return null;
    }

    /** An archetype that has its own ref id without being stored (walkers). */
    public interface Identified {
        String refId();
    }
}
