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
    /**
     * The server's mappers and archetype type for which an archetype read from these fields, unchanged, was found
     * to store as these very fields (set by {@link #markStoredAs}); null until then.
     */
    private volatile StoredAs storedAs;
    /** The snapshot of the archetype read from these fields (see {@link #template}); null until one is kept. */
    private volatile Template template;
    /** See {@link #context()}; made on first need. */
    private volatile StoredTree context;
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

    /**
     * True when an archetype of {@code type} read from these fields by {@code json} was found, unchanged, to
     * store as these fields ({@link #markStoredAs}): an archetype whose values have not changed since it was read
     * from them needs no comparison. Kept with the fields, so a store that hands out the same fields again (its
     * cache) saves the comparison for every later read.
     */
    public boolean storedAs(ArchetypeJson json, Class<?> type) {
        StoredAs s = storedAs;
        return s != null && s.json() == json && s.type() == type;
    }

    /** {@link #storedAs}, and the archetype prints as these fields' text byte for byte. */
    boolean printedAs(ArchetypeJson json, Class<?> type) {
        StoredAs s = storedAs;
        return s != null && s.json() == json && s.type() == type && s.exact();
    }

    /**
     * Records that an unchanged archetype of {@code type}, read from these fields by {@code json}, stores as them;
     * {@code exact}: it prints as their very text.
     */
    public void markStoredAs(ArchetypeJson json, Class<?> type, boolean exact) { storedAs = new StoredAs(json, type, exact); }

    private record StoredAs(ArchetypeJson json, Class<?> type, boolean exact) {}

    /**
     * The fields as a read-only tree written as their stored text ({@link StoredTree}); only for the text form.
     * Made once, then the same tree for every caller.
     */
    JsonNode context() {
        StoredTree c = context;
        if (c == null) context = c = StoredTree.of(this);
        return c;
    }

    /** A copy of the text. */
    byte[] copyText() { return Arrays.copyOfRange(text, offset, offset + length); }

    /** Copies the text into {@code buffer} at {@code at}; the length, or -1 when it does not fit. */
    int copyText(byte[] buffer, int at) {
        if (at + length > buffer.length) return -1;
        System.arraycopy(text, offset, buffer, at, length);
        return length;
    }

    /** Writes the text to {@code out}; its length. */
    int writeText(java.io.OutputStream out) throws IOException {
        out.write(text, offset, length);
        return length;
    }

    /**
     * The snapshot of an archetype of {@code type} as {@code json} read it from these fields ({@link #keepTemplate}),
     * from which the same archetype can be made again without reading them; null when none was kept.
     */
    public Object[] template(ArchetypeJson json, Class<?> type) {
        Template t = template;
        return t != null && t.json() == json && t.type() == type ? t.values() : null;
    }

    /** Keeps the snapshot of an archetype just read from these fields (it must never change: it is shared). */
    public void keepTemplate(ArchetypeJson json, Class<?> type, Object[] values) { template = new Template(json, type, values); }

    private record Template(ArchetypeJson json, Class<?> type, Object[] values) {}

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
