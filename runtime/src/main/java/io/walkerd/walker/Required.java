package io.walkerd.walker;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a walker input field that the caller must give. Reference-typed fields left null by the constructor are
 * required without it; mark such a field {@link Optional} to accept its absence.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Required {
}
