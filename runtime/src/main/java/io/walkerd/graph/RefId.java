package io.walkerd.graph;

/**
 * Ref ids: {@code n:<Type>:<hex>} for nodes, {@code n::<hex>} for roots, {@code e:<Type>:<hex>} for edges,
 * {@code w:<Type>:<hex>} for walkers, {@code o:<Type>:<hex>} for savable objects.
 */
public record RefId(char kind, String type, Id id) {

    public static final Id SUPER_ROOT = Id.of("000000000000000000000000");
    public static final Id PUBLIC_ROOT = Id.of("000000000000000000000001");

    public static String node(String type, Id id) { return "n:" + type + ":" + id.toHexString(); }

    public static String root(Id id) { return "n::" + id.toHexString(); }

    public static String edge(String type, Id id) { return "e:" + type + ":" + id.toHexString(); }

    public static String walker(String type, Id id) { return "w:" + type + ":" + id.toHexString(); }

    public static String object(String type, Id id) { return "o:" + type + ":" + id.toHexString(); }

    /** A ref id as parsed, with the text it was parsed from. */
    private record Parsed(String text, RefId ref) {}

    private static final int CACHE_SLOTS = 1 << 16;
    /**
     * Recently parsed ref ids, one per slot by the text's hash (a newer text takes its slot). A walk parses the same
     * ref ids several times (a node's edge list, each edge's ends, the node an edge leads to), mostly the very
     * strings of documents the store keeps parsed, whose hash is already known: a hit costs no allocation and no
     * validation. Entries are immutable records, so a slot read without a lock sees a whole one or null.
     */
    private static final Parsed[] CACHE = new Parsed[CACHE_SLOTS];

    /** Parses a ref id; also accepts a bare 24-hex id as a root id. Returns null when the text is not a ref id. */
    public static RefId parse(String text) {
        if (text == null) return null;
        int h = text.hashCode();
        int slot = (h ^ (h >>> 16)) & (CACHE_SLOTS - 1);
        Parsed hit = CACHE[slot];
        if (hit != null && (hit.text == text || hit.text.equals(text))) return hit.ref;
        RefId ref = parseText(text);
        if (ref != null) CACHE[slot] = new Parsed(text, ref);
        return ref;
    }

    private static RefId parseText(String text) {
        if (Id.isValid(text)) return new RefId('n', "", Id.of(text));
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first != 1 || last == first) return null;
        char kind = text.charAt(0);
        if (kind != 'n' && kind != 'e' && kind != 'w' && kind != 'o') return null;
        String hex = text.substring(last + 1);
        if (!Id.isValid(hex)) return null;
        return new RefId(kind, text.substring(first + 1, last), Id.of(hex));
    }

    public boolean isRoot() { return kind == 'n' && type.isEmpty(); }

    @Override
    public String toString() { return kind + ":" + type + ":" + id.toHexString(); }
}
