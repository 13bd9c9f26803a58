package io.walkerd.conformance;

import io.walkerd.graph.Root;
import io.walkerd.walker.OnEntry;
import io.walkerd.walker.Required;
import io.walkerd.walker.Specs;
import io.walkerd.walker.Walker;

import java.util.Map;

/** Walkers that shape their own response: its status, or the whole body. */
public final class Responses {
    private Responses() {}

    /** Answers with the status it is given (the runtime turns one a walker may not set into a 500). */
    public static class CustomStatusCode extends Walker {
        @Required public int status;

        @OnEntry
        void enter(Root here) { status(status); }
    }

    /** Reports 1, 2 and 3, then replaces the whole body with {@code {"testing": 1}}. */
    @Specs(auth = false)
    public static class CustomReport extends Walker {
        @OnEntry
        void enter1(Root here) {
            report(1);
            report(2);
            report(3);
            body(Map.of("testing", 1));
        }
    }
}
