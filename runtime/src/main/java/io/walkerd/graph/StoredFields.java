package io.walkerd.graph;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The fields of a stored node, edge or object as they were read: either the JSON text the store keeps (UTF-8
 * bytes, a slice of the stored document), or a tree for a backend that has no text (MongoDB's BSON) and for
 * documents made in memory.
 *
 * <p>The text is what a walk needs most cheaply: the archetype is read from it straight (no tree in between),
 * and at commit an unchanged archetype is recognised by printing it again and finding the very same bytes
 * ({@link ArchetypeJson#printsAs}). The tree is parsed from the text only when something asks for it.
 */
public final class StoredFields {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final byte[] text;
    private final int offset;
    private final int length;
    /** Parses the text (the store's mapper, with the store's read limits); null for the tree form. */
    private final ObjectMapper parser;
    /** Parsed from the text on first need; volatile since a store may share one parsed record between calls. */
    private volatile ObjectNode tree;

    private StoredFields(byte[] text, int offset, int length, ObjectMapper parser, ObjectNode tree) {
        this.text = text;
        this.offset = offset;
        this.length = length;
        this.parser = parser;
        this.tree = tree;
    }

    /** Fields held as a tree; null stands for no fields (an empty object). */
    public static StoredFields of(ObjectNode tree) {
        return new StoredFields(null, 0, 0, null, tree == null ? F.objectNode() : tree);
    }

    /**
     * Fields held as JSON text: {@code length} bytes of {@code utf8} from {@code offset}, one JSON object, which
     * {@code parser} reads (the store's mapper, so that whatever the store accepts reads back). The array is kept,
     * not copied: the caller must not change it.
     */
    public static StoredFields text(byte[] utf8, int offset, int length, ObjectMapper parser) {
        if (offset < 0 || length < 0 || offset + length > utf8.length) throw new IndexOutOfBoundsException();
        return new StoredFields(utf8, offset, length, parser, null);
    }

    /** True when the fields are held as the stored JSON text. */
    public boolean hasText() { return text != null; }

    /** The fields as a tree, parsed from the text on first need (then kept: do not change it). */
    public ObjectNode tree() {
        ObjectNode t = tree;
        if (t == null) {
            try (JsonParser p = parser()) {
                JsonNode n = parser.readTree(p);
                t = n instanceof ObjectNode o ? o : F.objectNode();
            } catch (IOException e) {
                throw new UncheckedIOException("stored fields are not valid JSON", e);
            }
            tree = t;
        }
        return t;
    }

    /** A parser over the text; only for the text form. */
    JsonParser parser() throws IOException {
        if (text == null) throw new IllegalStateException("fields held as a tree have no text");
        return parser.getFactory().createParser(text, offset, length);
    }

    /** True when the text from {@code at} goes on with {@code bytes[from, from + count)}; only for the text form. */
    boolean continuesWith(int at, byte[] bytes, int from, int count) {
        return at + count <= length && Arrays.equals(text, offset + at, offset + at + count, bytes, from, from + count);
    }

    int length() { return length; }

    /** Same fields (as trees): for tests and records. */
    @Override
    public boolean equals(Object o) { return o instanceof StoredFields f && tree().equals(f.tree()); }

    @Override
    public int hashCode() { return tree().hashCode(); }

    @Override
    public String toString() {
        return text != null ? new String(text, offset, length, java.nio.charset.StandardCharsets.UTF_8) : tree.toString();
    }
}
