package io.walkerd.graph;

import org.bson.types.ObjectId;

/**
 * Ref ids: {@code n:<Type>:<hex>} for nodes, {@code n::<hex>} for roots, {@code e:<Type>:<hex>} for edges,
 * {@code w:<Type>:<hex>} for walkers.
 */
public record RefId(char kind, String type, ObjectId id) {

    public static final ObjectId SUPER_ROOT = new ObjectId("000000000000000000000000");
    public static final ObjectId PUBLIC_ROOT = new ObjectId("000000000000000000000001");

    public static String node(String type, ObjectId id) { return "n:" + type + ":" + id.toHexString(); }

    public static String root(ObjectId id) { return "n::" + id.toHexString(); }

    public static String edge(String type, ObjectId id) { return "e:" + type + ":" + id.toHexString(); }

    public static String walker(String type, ObjectId id) { return "w:" + type + ":" + id.toHexString(); }

    /** Parses a ref id; also accepts a bare 24-hex id as a root id. Returns null when the text is not a ref id. */
    public static RefId parse(String text) {
        if (text == null) return null;
        if (ObjectId.isValid(text)) return new RefId('n', "", new ObjectId(text));
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first != 1 || last == first) return null;
        char kind = text.charAt(0);
        if (kind != 'n' && kind != 'e' && kind != 'w') return null;
        String hex = text.substring(last + 1);
        if (!ObjectId.isValid(hex)) return null;
        return new RefId(kind, text.substring(first + 1, last), new ObjectId(hex));
    }

    public boolean isRoot() { return kind == 'n' && type.isEmpty(); }

    @Override
    public String toString() { return kind + ":" + type + ":" + id.toHexString(); }
}
