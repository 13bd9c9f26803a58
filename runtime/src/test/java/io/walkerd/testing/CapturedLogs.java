package io.walkerd.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** The log events of some loggers while a test runs: {@code try (CapturedLogs logs = CapturedLogs.of(X.class)) {...}}. */
public final class CapturedLogs implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final List<Logger> loggers = new ArrayList<>();
    private final List<ch.qos.logback.classic.Level> levels = new ArrayList<>();

    private CapturedLogs(boolean debug, String... names) {
        appender.start();
        for (String n : names) {
            Logger l = (Logger) LoggerFactory.getLogger(n);
            levels.add(l.getLevel());
            if (debug) l.setLevel(ch.qos.logback.classic.Level.DEBUG);
            l.addAppender(appender);
            loggers.add(l);
        }
    }

    public static CapturedLogs of(Class<?>... types) { return new CapturedLogs(false, names(types)); }

    /** The same, with these loggers at DEBUG while it lasts (for lines a server writes at DEBUG). */
    public static CapturedLogs atDebug(Class<?>... types) { return new CapturedLogs(true, names(types)); }

    private static String[] names(Class<?>... types) {
        String[] names = new String[types.length];
        for (int i = 0; i < types.length; i++) names[i] = types[i].getName();
        return names;
    }

    public List<ILoggingEvent> events() { return List.copyOf(appender.list); }

    /**
     * Every event as the log would print it, message and exception (type, message, stack lines and causes), one
     * string per event: a forged line shows up as a newline inside one of them.
     */
    public List<String> printed() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : events()) {
            StringBuilder b = new StringBuilder(e.getLevel() + " " + e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                b.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
                for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) b.append(" | ").append(s.getSTEAsString());
            }
            out.add(b.toString());
        }
        return out;
    }

    @Override
    public void close() {
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).detachAppender(appender);
            loggers.get(i).setLevel(levels.get(i));
        }
        appender.stop();
    }
}
