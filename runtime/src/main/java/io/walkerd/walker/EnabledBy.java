package io.walkerd.walker;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers the walkers, nodes and edges of a class, or of a whole package (on its {@code package-info.java}), only
 * when the setting it names is {@code true}. For code that must not be served by default, such as the conformance
 * pack, whose walkers write to the public root for anyone.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.PACKAGE})
public @interface EnabledBy {
    /** The setting, e.g. {@code WALKERD_CONFORMANCE}. */
    String value();
}
