package io.walkerd.graph;

import com.fasterxml.jackson.annotation.JsonCreator;


/** Access levels, lowest to highest, as stored in MongoDB (by name) and accepted from users (name or number -1..2). */
public enum Access {
    NO_ACCESS(-1), READ(0), CONNECT(1), WRITE(2);

    private final int number;

    Access(int number) { this.number = number; }

    public int number() { return number; }

    public boolean atLeast(Access other) { return ordinal() >= other.ordinal(); }

    /**
     * Parses a level given as a name ({@code "READ"}, case-insensitive) or a number ({@code 0}, {@code "2"}). Also
     * how a walker input field of type {@code Access} is read, so such a field takes names and numbers alike.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Access parse(Object value) {
        if (value instanceof Access a) return a;
        if (value instanceof Number n) return ofNumber(n.intValue());
        if (value instanceof String s) {
            String t = s.trim();
            for (Access a : values()) if (a.name().equalsIgnoreCase(t)) return a; // the stored form: no exception to catch
            try {
                return ofNumber(Integer.parseInt(t));
            } catch (NumberFormatException ignored) {
                throw new IllegalArgumentException("unknown access level '" + s + "' (expected NO_ACCESS, READ, CONNECT, WRITE or -1..2)");
            }
        }
        throw new IllegalArgumentException("unknown access level " + value);
    }

    public static Access ofNumber(int n) {
        for (Access a : values()) if (a.number == n) return a;
        throw new IllegalArgumentException("unknown access level " + n + " (expected -1..2)");
    }
}
