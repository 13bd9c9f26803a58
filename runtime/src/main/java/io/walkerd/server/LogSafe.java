package io.walkerd.server;

/**
 * Client-supplied text on its way into a log line: control characters (a newline would start a forged line) and
 * Unicode line separators are written as escapes, and very long text is cut, so that one log line stays one line
 * and says what came in.
 */
public final class LogSafe {
    /** Longest text kept; the rest is replaced by a count. */
    static final int MAX_CHARS = 256;

    private LogSafe() {}

    /** {@code text} with {@code \n}, {@code \r}, {@code \t} and other control characters escaped; null stays null. */
    public static String of(Object text) {
        if (text == null) return null;
        String s = text.toString();
        StringBuilder out = null;
        int end = Math.min(s.length(), MAX_CHARS);
        for (int i = 0; i < end; i++) {
            char ch = s.charAt(i);
            String escape = escape(ch);
            if (escape == null) {
                if (out != null) out.append(ch);
                continue;
            }
            if (out == null) out = new StringBuilder(end + 16).append(s, 0, i);
            out.append(escape);
        }
        String kept = out == null ? s.substring(0, end) : out.toString();
        return s.length() > MAX_CHARS ? kept + "…(" + (s.length() - MAX_CHARS) + " more chars)" : kept;
    }

    /**
     * A copy of {@code error} to log in place of it: the same stack trace, with its message and its causes'
     * escaped, so that text an exception quotes from a request cannot forge log lines either.
     */
    public static Throwable throwable(Throwable error) {
        if (error == null) return null;
        return new Escaped(error, throwable(error.getCause()));
    }

    private static String escape(char ch) {
        return switch (ch) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\u0085', '\u2028', '\u2029' -> String.format("\\u%04x", (int) ch);
            default -> ch < 0x20 || ch == 0x7f ? String.format("\\u%04x", (int) ch) : null;
        };
    }

    /** An exception as logged: the original type's name and its escaped message, then its stack trace. */
    static final class Escaped extends RuntimeException {
        Escaped(Throwable error, Throwable cause) {
            super(error.getClass().getName() + (error.getMessage() == null ? "" : ": " + of(error.getMessage())), cause, false, true);
            setStackTrace(error.getStackTrace());
        }
    }
}
