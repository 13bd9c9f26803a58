package io.walkerd.graph;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * Stored fields as a read-only tree that is written as their stored text: put into a response in place of an
 * unchanged archetype whose stored form is that very text, it costs neither building a tree nor printing one. Its
 * fields are parsed only if something reads them. It cannot be changed (every change throws): it is shared by
 * every response that reports the same stored document.
 */
final class StoredTree extends ObjectNode {
    private static final long serialVersionUID = 1L;
    private final transient StoredFields fields;

    private StoredTree(JsonNodeFactory nodes, LazyFields children, StoredFields fields) {
        super(nodes, children);
        this.fields = fields;
    }

    static StoredTree of(StoredFields fields) {
        return new StoredTree(JsonNodeFactory.instance, new LazyFields(fields), fields);
    }

    @Override
    public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
        if (!writesAsText(g, provider)) {
            super.serialize(g, provider);
        } else if (g instanceof UTF8JsonGenerator) {
            g.writeRawValue(new Utf8(fields));
        } else {
            g.writeRawValue(fields.toString());
        }
    }

    /** True when the generator would write the tree as the compact text the store printed. */
    private static boolean writesAsText(JsonGenerator g, SerializerProvider provider) {
        return g.getPrettyPrinter() == null && g.getCharacterEscapes() == null
                && !g.isEnabled(JsonGenerator.Feature.ESCAPE_NON_ASCII)
                && !g.isEnabled(JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS)
                && (provider == null || (provider.isEnabled(JsonNodeFeature.WRITE_NULL_PROPERTIES)
                        && !provider.isEnabled(JsonNodeFeature.WRITE_PROPERTIES_SORTED)));
    }

    @Override
    public ObjectNode deepCopy() {
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : properties()) copy.set(e.getKey(), e.getValue().deepCopy());
        return copy;
    }

    /** The fields of the tree, parsed on first need; unmodifiable. */
    private static final class LazyFields extends AbstractMap<String, JsonNode> {
        private final StoredFields fields;
        private volatile Map<String, JsonNode> parsed;

        LazyFields(StoredFields fields) { this.fields = fields; }

        private Map<String, JsonNode> parsed() {
            Map<String, JsonNode> p = parsed;
            if (p == null) {
                java.util.LinkedHashMap<String, JsonNode> m = new java.util.LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : fields.tree().properties()) m.put(e.getKey(), e.getValue());
                parsed = p = Collections.unmodifiableMap(m);
            }
            return p;
        }

        @Override
        public Set<Entry<String, JsonNode>> entrySet() { return parsed().entrySet(); }

        @Override
        public JsonNode get(Object key) { return parsed().get(key); }

        @Override
        public boolean containsKey(Object key) { return parsed().containsKey(key); }

        @Override
        public int size() { return parsed().size(); }

        @Override
        public JsonNode put(String key, JsonNode value) { throw readOnly(); }

        @Override
        public JsonNode remove(Object key) { throw readOnly(); }

        @Override
        public void clear() { throw readOnly(); }

        private static UnsupportedOperationException readOnly() {
            return new UnsupportedOperationException("a stored document's fields are read-only: copy them (deepCopy) to change them");
        }
    }

    /** The stored text as raw UTF-8 for a byte generator. */
    private static final class Utf8 implements SerializableString {
        private final StoredFields fields;

        Utf8(StoredFields fields) { this.fields = fields; }

        @Override
        public String getValue() { return fields.toString(); }

        @Override
        public int charLength() { return getValue().length(); }

        @Override
        public char[] asQuotedChars() { throw new UnsupportedOperationException(); }

        @Override
        public byte[] asUnquotedUTF8() { return fields.copyText(); }

        @Override
        public byte[] asQuotedUTF8() { throw new UnsupportedOperationException(); }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) { throw new UnsupportedOperationException(); }

        @Override
        public int appendQuoted(char[] buffer, int offset) { throw new UnsupportedOperationException(); }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) { return fields.copyText(buffer, offset); }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            String s = getValue();
            if (offset + s.length() > buffer.length) return -1;
            s.getChars(0, s.length(), buffer, offset);
            return s.length();
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) { throw new UnsupportedOperationException(); }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException { return fields.writeText(out); }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) { throw new UnsupportedOperationException(); }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            byte[] b = fields.copyText();
            if (b.length > buffer.remaining()) return -1;
            buffer.put(b);
            return b.length;
        }
    }
}
