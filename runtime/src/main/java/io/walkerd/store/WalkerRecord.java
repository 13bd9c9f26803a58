package io.walkerd.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;

/**
 * A walker document ({@code walker} collection, jac-cloud's layout): a task, an async call or a saved run of a
 * scheduled walker. Its id is time-ordered ({@link Id#timeOrdered()}), so the newest document of a walker has the
 * greatest id.
 *
 * @param name      the walker's name
 * @param root      the root that owns it (the caller's, or the super root for scheduled walkers)
 * @param access    its access policy in jac-cloud's form
 * @param archetype the walker's input fields as it was created (or as it ended, once it ran)
 * @param schedule  where it stands; null for a document that is not scheduled
 */
public record WalkerRecord(Id id, String name, Id root, ObjectNode access, ObjectNode archetype, ScheduleState schedule) {}
