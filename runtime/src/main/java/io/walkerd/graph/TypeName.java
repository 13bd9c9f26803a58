package io.walkerd.graph;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a node, edge or walker class a type name other than its simple class name, for when the name an
 * application needs is taken in Java (a node type called {@code Node}). The name is what ref ids and the stored
 * documents carry, and what the registry finds the class by.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TypeName {
    String value();
}
