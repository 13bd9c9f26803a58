package io.walkerd.walker;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** How a walker is exposed: its HTTP methods (and {@code "websocket"}), path, query fields, auth and API docs. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Specs {
    /** Overrides the walker's name (default: snake_case of the class name). */
    String name() default "";

    /** Any of get post put patch delete head options, plus "websocket". */
    String[] methods() default {"post"};

    /** Extra path after the walker (and node) segment; may hold {@code {field}} variables. */
    String path() default "";

    /** Fields read from the query string; {@code "*"} for all. */
    String[] asQuery() default {};

    /** When true, calls without a valid token get 401. */
    boolean auth() default true;

    /** When true, the walker is not exposed at all. */
    boolean isPrivate() default false;

    EntryType entryType() default EntryType.BOTH;

    String[] tags() default {};

    String summary() default "";

    String description() default "";

    /** The status of a successful call, unless the walker sets another with {@code status(...)}. */
    int statusCode() default 200;

    /**
     * An async walker: the call answers {@code {"walker_id": "w:<name>:<hex>"}} at once, and the walker runs on a
     * worker; its document keeps the outcome ({@code schedule}: status, http_status, reports, error).
     */
    boolean async() default false;

    /** Runs the walker on a schedule (usually with {@code isPrivate = true}); at most one. */
    Schedule[] schedule() default {};

    /** Makes it a webhook walker, authenticated by an API key; at most one. */
    Webhook[] webhook() default {};

    boolean deprecated() default false;
}
