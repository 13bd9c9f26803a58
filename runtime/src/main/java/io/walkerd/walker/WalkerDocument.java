package io.walkerd.walker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A walker document as walker code and plugins see it (and may report it): a task, an async call or a saved
 * scheduled run, with its input and, in jac-cloud's form, its {@code schedule}
 * ({@code status, node_id, root_id, execute_date, executed_date, http_status, reports, custom, error}).
 *
 * @param id        {@code w:<walker name>:<hex>}
 * @param root      the owner root, {@code n::<hex>}
 * @param archetype the walker's fields (as created, or as the run left them)
 * @param schedule  null for a document that is not scheduled
 */
public record WalkerDocument(String id, String name, String root, ObjectNode archetype, JsonNode schedule) {}
