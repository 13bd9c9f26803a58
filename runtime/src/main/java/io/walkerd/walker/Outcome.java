package io.walkerd.walker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * What a walk that succeeded produced, as JSON: the status it answers, its reports, its abilities' return values,
 * and the body it set with {@code body(...)} (null when it set none). What a task's or a scheduled run's document
 * keeps.
 */
public record Outcome(int status, ArrayNode reports, ArrayNode returns, JsonNode custom) {

    /** Called after a walk succeeded and before its changes are committed, to add to them. */
    @FunctionalInterface
    public interface BeforeCommit {
        void accept(io.walkerd.store.GraphSession graph, Walker walker, Outcome outcome);
    }
}
