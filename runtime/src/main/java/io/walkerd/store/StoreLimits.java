package io.walkerd.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * How deep and how large a stored value may be. Checked at the edge (registration fields, walker input) before
 * anything is written, and again on what a walker itself writes: a value nested thousands of levels deep must
 * never reach a serializer or a database.
 *
 * @param maxDepth how many levels of objects and arrays a value may nest (a document's own fields are level 1)
 * @param maxBytes how large a document's JSON may be, counted in characters
 */
public record StoreLimits(int maxDepth, long maxBytes) {
    public static final StoreLimits DEFAULT = new StoreLimits(64, 4L * 1024 * 1024);

    public StoreLimits {
        if (maxDepth < 2) throw new IllegalArgumentException("STORE_MAX_DEPTH must be at least 2");
        if (maxBytes < 1024) throw new IllegalArgumentException("STORE_MAX_DOCUMENT_BYTES must be at least 1024");
    }

    /** What is wrong with {@code value} in words, or null when it is within the limits. */
    public String problem(JsonNode value) {
        return problem(value, 0);
    }

    /**
     * Like {@link #problem(JsonNode)} for a value that sits {@code depthAbove} levels below the document's top
     * (a field of a walker's input is 1 level down).
     */
    public String problem(JsonNode value, int depthAbove) {
        if (value == null) return null;
        long size = 0;
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[]{value, depthAbove});
        while (!stack.isEmpty()) {
            Object[] top = stack.pop();
            JsonNode v = (JsonNode) top[0];
            int depth = (Integer) top[1];
            if (v.isContainerNode()) {
                if (depth + 1 > maxDepth) return "nested deeper than " + maxDepth + " levels";
                size += 2;
                if (v.isObject()) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                        var f = it.next();
                        size += f.getKey().length() + 4;
                        stack.push(new Object[]{f.getValue(), depth + 1});
                    }
                } else {
                    for (JsonNode item : v) {
                        size += 1;
                        stack.push(new Object[]{item, depth + 1});
                    }
                }
            } else if (v.isTextual()) {
                size += v.textValue().length() + 2;
            } else if (v.isBinary()) {
                size += v.asText().length() + 2;
            } else {
                size += 8;
            }
            if (size > maxBytes) return "larger than " + maxBytes + " bytes";
        }
        return null;
    }
}
