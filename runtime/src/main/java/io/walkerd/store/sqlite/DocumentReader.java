package io.walkerd.store.sqlite;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.walkerd.graph.Id;
import io.walkerd.graph.StoredFields;
import io.walkerd.store.EdgeRecord;
import io.walkerd.store.NodeRecord;
import io.walkerd.store.ObjectRecord;
import io.walkerd.store.StoreUnavailable;
import io.walkerd.store.StoredJson;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads node, edge and object documents from their stored text in one pass, without a tree of the whole document:
 * the {@code archetype} is kept as its slice of the text ({@link StoredFields}), which the graph session reads
 * straight into the archetype and compares with at commit; the edge list becomes a list of strings at once. Every
 * field means what {@link StoredJson}'s readers make of it (missing or odd values included), since those read the
 * same documents from a tree elsewhere (exports, the MongoDB backend).
 */
final class DocumentReader {
    private final ObjectMapper json;

    DocumentReader(ObjectMapper json) { this.json = json; }

    NodeRecord node(byte[] doc) {
        try (JsonParser p = start(doc)) {
            Fields d = read(p, doc);
            List<String> edges = d.edges;
            if (edges == null) { // not an array: what a tree's forEach makes of it (an object's values, else nothing)
                edges = new ArrayList<>();
                if (d.otherEdges != null) for (JsonNode e : d.otherEdges) edges.add(e.asText());
            }
            return new NodeRecord(d.id(), orMissing(d.name).asText(""), d.root(), StoredJson.object(d.access), edges,
                    d.fields, d.version());
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    EdgeRecord edge(byte[] doc) {
        try (JsonParser p = start(doc)) {
            Fields d = read(p, doc);
            return new EdgeRecord(d.id(), orMissing(d.name).asText(), d.root(), StoredJson.object(d.access),
                    orMissing(d.source).asText(), orMissing(d.target).asText(), orMissing(d.undirected).asBoolean(false),
                    d.fields, d.version());
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    ObjectRecord object(byte[] doc) {
        try (JsonParser p = start(doc)) {
            Fields d = read(p, doc);
            return new ObjectRecord(d.id(), orMissing(d.name).asText(""), d.root(), StoredJson.object(d.access),
                    d.fields, d.version());
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /** The top-level fields of a node, edge or object document (each kind uses its own; others stay null). */
    private static final class Fields {
        JsonNode id, name, root, version, source, target, undirected, otherEdges;
        ObjectNode access;
        List<String> edges;
        StoredFields fields;

        Id id() { return Id.of(required(id).asText()); }

        Id root() { return Id.of(required(root).asText()); }

        long version() { return orMissing(version).asLong(1); }
    }

    /** Reads every top-level field of the document at {@code p} (just after its opening brace). */
    private Fields read(JsonParser p, byte[] doc) throws IOException {
        Fields d = new Fields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "_id" -> d.id = value(p);
                case "name" -> d.name = value(p);
                case "root" -> d.root = value(p);
                case "access" -> d.access = access(p, doc);
                case "edges" -> {
                    if (p.currentToken() == JsonToken.START_ARRAY) {
                        d.edges = strings(p);
                        d.otherEdges = null;
                    } else {
                        d.otherEdges = value(p);
                        d.edges = null;
                    }
                }
                case "source" -> d.source = value(p);
                case "target" -> d.target = value(p);
                case "is_undirected" -> d.undirected = value(p);
                case "archetype" -> d.fields = fields(p, doc);
                case "version" -> d.version = value(p);
                default -> p.skipChildren();
            }
        }
        return d;
    }

    private JsonParser start(byte[] doc) throws IOException {
        JsonParser p = json.getFactory().createParser(doc);
        if (p.nextToken() != JsonToken.START_OBJECT) {
            p.close();
            throw new StoreUnavailable("a stored document is not a JSON object (was the file edited by hand?)", null);
        }
        return p;
    }

    /** The value at the parser, as the tree a whole-document parse would have (scalars made here, cheaply). */
    private JsonNode value(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> TextNode.valueOf(p.getText());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> IntNode.valueOf(p.getIntValue());
                case LONG -> LongNode.valueOf(p.getLongValue());
                default -> json.readTree(p);
            };
            default -> json.readTree(p);
        };
    }

    /** An array of (usually) strings, each as a tree's {@code asText} gives it. */
    private List<String> strings(JsonParser p) throws IOException {
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_STRING) out.add(p.getText());
            else out.add(value(p).asText());
        }
        return out;
    }

    /**
     * The access policy's tree. Most documents store one of a few policies (the default above all), so a policy's
     * text read before gives the same tree again: never changed by its readers, and one tree for the session to
     * read a policy from once.
     */
    private ObjectNode access(JsonParser p, byte[] doc) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) return StoredJson.object(value(p));
        int from = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        int to = (int) p.currentTokenLocation().getByteOffset() + 1;
        Slice key = new Slice(doc, from, to);
        ObjectNode tree = policies.get(key);
        if (tree == null) {
            try (JsonParser own = json.getFactory().createParser(doc, from, to - from)) {
                tree = StoredJson.object((JsonNode) json.readTree(own));
            }
            if (policies.size() >= POLICIES) policies.clear(); // many distinct policies: start again
            policies.put(key.copy(), tree);
        }
        return tree;
    }

    /** The most distinct access policies kept (see {@link #access}). */
    private static final int POLICIES = 1_024;
    private final Map<Slice, ObjectNode> policies = new ConcurrentHashMap<>();

    /** Bytes {@code from} to {@code to} of an array, compared by content. */
    private static final class Slice {
        private final byte[] bytes;
        private final int from;
        private final int to;
        private final int hash;

        Slice(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.from = from;
            this.to = to;
            int h = 1;
            for (int i = from; i < to; i++) h = 31 * h + bytes[i];
            this.hash = h;
        }

        Slice copy() { return new Slice(Arrays.copyOfRange(bytes, from, to), 0, to - from); }

        @Override
        public boolean equals(Object o) {
            return o instanceof Slice s && s.hash == hash && Arrays.equals(bytes, from, to, s.bytes, s.from, s.to);
        }

        @Override
        public int hashCode() { return hash; }
    }

    /** An object: its slice of the text, parsed when needed. Anything else reads as no fields, as in a tree. */
    private StoredFields fields(JsonParser p, byte[] doc) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        int from = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        int to = (int) p.currentTokenLocation().getByteOffset() + 1; // just after the closing brace
        return StoredFields.text(doc, from, to - from, json);
    }

    private static JsonNode orMissing(JsonNode v) { return v == null ? MissingNode.getInstance() : v; }

    /** {@code d.get(field)} of a missing field: what the tree reader would have thrown on. */
    private static JsonNode required(JsonNode v) {
        if (v == null) throw new NullPointerException("a stored document has no id or root");
        return v;
    }

    private static StoreUnavailable notJson(IOException e) {
        return new StoreUnavailable("a stored document is not valid JSON (was the file edited by hand?)", e);
    }
}
