package io.walkerd.store.sqlite;

import io.walkerd.store.StoreUnavailable;

import java.sql.SQLException;

/** Turns SQLite's failures into {@link StoreUnavailable}s whose message says in words what went wrong. */
final class Failures {
    private Failures() {}

    /** @param doing what the store was doing, as the end of "cannot ...": "read nodes", "commit a change set" */
    static StoreUnavailable unavailable(String doing, SQLException e) {
        return new StoreUnavailable("cannot " + doing + ": " + reason(e), e);
    }

    static StoreUnavailable closed() {
        return new StoreUnavailable("the store is closed", null);
    }

    /** True for a broken UNIQUE or PRIMARY KEY constraint (an id or an email that exists already). */
    static boolean isConstraint(SQLException e) {
        return primaryCode(e) == 19;
    }

    private static int primaryCode(SQLException e) {
        // sqlite-jdbc reports SQLite's (possibly extended) result code; its low byte is the primary code
        return e.getErrorCode() & 0xff;
    }

    private static String reason(SQLException e) {
        return switch (primaryCode(e)) {
            case 5 -> "the database is locked by another process (waited " + SqliteStore.BUSY_TIMEOUT_MS / 1000 + " s)";
            case 6 -> "the database is locked";
            case 7 -> "SQLite ran out of memory";
            case 8 -> "the database file is read-only";
            case 10 -> "the disk could not be read or written";
            case 11 -> "the database file is damaged";
            case 13 -> "the disk is full";
            case 14 -> "the database file cannot be opened (check the path and its permissions)";
            case 19 -> "a document broke a uniqueness rule";
            case 26 -> "the file is not an SQLite database";
            case 0 -> "the database connection is closed";
            default -> "SQLite failed (result code " + e.getErrorCode() + ")";
        };
    }
}
