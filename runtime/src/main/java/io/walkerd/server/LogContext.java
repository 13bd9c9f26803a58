package io.walkerd.server;

import org.slf4j.MDC;

/**
 * What a log line says it belongs to: the keys walkerd puts in SLF4J's MDC (a text log shows them where its pattern
 * asks, a JSON log under {@code "mdc"}), and a scope that sets some and puts back what was there before, so that a
 * walker run from inside another walker's call leaves its caller's context as it found it.
 */
public final class LogContext {
    /** The websocket connection an event came from. */
    public static final String CLIENT_ID = "client_id";
    /** The root the walker runs as ({@code n::<hex>}). */
    public static final String ROOT_ID = "root_id";
    /** The walker's name. */
    public static final String WALKER = "walker";
    /** The REST request ({@code X-Request-Id}) or websocket request a line belongs to. */
    public static final String REQUEST_ID = "request_id";
    /** The id an internal error's reply carries, on the line that logs the failure. */
    public static final String ERROR_ID = "error_id";

    private LogContext() {}

    /** Puts back what a {@link #with} found. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Sets {@code key} to {@code value} (null removes it) until the scope closes. */
    public static Scope with(String key, String value) {
        String before = MDC.get(key);
        set(key, value);
        return () -> set(key, before);
    }

    /** Sets two keys until the scope closes. */
    public static Scope with(String key1, String value1, String key2, String value2) {
        Scope first = with(key1, value1);
        Scope second = with(key2, value2);
        return () -> {
            second.close();
            first.close();
        };
    }

    private static void set(String key, String value) {
        if (value == null) MDC.remove(key);
        else MDC.put(key, value);
    }
}
