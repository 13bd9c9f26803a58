package io.walkerd.walker;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An entry ability. On a walker: runs when the walker enters a node of the parameter's type (or of the listed
 * types); with no parameter, runs once when the walker is spawned. On a node: runs when a walker of the
 * parameter's type enters it ({@code Walker} or no parameter: any walker). The return value goes to
 * {@code returns}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnEntry {
    /** Types to react to instead of (or narrower than) the parameter's type. */
    Class<?>[] value() default {};
}
