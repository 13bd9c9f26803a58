package io.walkerd.walker;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a walker a webhook walker: {@code @Specs(webhook = @Webhook(type = HEADER, name = "X-API-KEY"))}. It is served
 * at {@code /webhook/walker/<name>} instead of {@code /walker/<name>} and authenticated by an API key (made with
 * {@code POST /webhook/generate-key}) instead of a token; it runs as the root of the user who made the key.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Webhook {
    /** Where the key is sent. */
    enum Type { HEADER, QUERY, PATH, BODY }

    Type type() default Type.HEADER;

    /** The header, query parameter, path variable or body field that holds the key. */
    String name() default "X-API-KEY";
}
