package io.walkerd.spi;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/**
 * One node as a walker's commit changed it, for plugins that push the live graph (protocol 2's node channels).
 *
 * @param id        the node's ref id ({@code n:Task:<hex>}, or {@code n::<hex>} for a root)
 * @param destroyed true when the commit deleted the node; then {@code changes} is empty and {@code context} null
 * @param changes   which parts changed: any of {@code "fields"}, {@code "edges"}, {@code "access"}
 * @param context   the node's fields after the commit (its stored form)
 */
public record NodeChange(String id, boolean destroyed, Set<String> changes, JsonNode context) {
    public static final String FIELDS = "fields";
    public static final String EDGES = "edges";
    public static final String ACCESS = "access";
}
