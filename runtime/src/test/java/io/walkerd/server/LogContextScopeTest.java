package io.walkerd.server;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

/** A log context scope puts back, when it closes, exactly what it found: a value, or nothing. */
class LogContextScopeTest {

    @Test
    void closingAScopePutsBackWhatWasThereAndRemovesWhatWasNot() {
        MDC.clear();
        try (LogContext.Scope outer = LogContext.with(LogContext.WALKER, "outer", LogContext.ROOT_ID, "n::1")) {
            try (LogContext.Scope inner = LogContext.with(LogContext.WALKER, "inner", LogContext.REQUEST_ID, "r")) {
                assertThat(MDC.get(LogContext.WALKER)).isEqualTo("inner");
                assertThat(MDC.get(LogContext.ROOT_ID)).isEqualTo("n::1");
                assertThat(MDC.get(LogContext.REQUEST_ID)).isEqualTo("r");
            }
            assertThat(MDC.get(LogContext.WALKER)).isEqualTo("outer");
            assertThat(MDC.get(LogContext.REQUEST_ID)).isNull();
            try (LogContext.Scope none = LogContext.with(LogContext.WALKER, null)) {
                assertThat(MDC.get(LogContext.WALKER)).isNull();
            }
            assertThat(MDC.get(LogContext.WALKER)).isEqualTo("outer");
        }
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }
}
