package io.walkerd.store;

/**
 * A change set was refused because a document it updates or deletes changed (or vanished) since it was read.
 * Nothing of the change set was written.
 */
public final class CommitConflict extends RuntimeException {
    public CommitConflict(String message) { super(message, null, false, false); }
}
