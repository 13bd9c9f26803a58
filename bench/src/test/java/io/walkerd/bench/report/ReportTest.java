package io.walkerd.bench.report;

import io.walkerd.bench.load.Result;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {
    private static Result row(String scenario, String variant, String server, double rate) {
        return new Result(scenario, variant, 100, server, rate, 1, 2, 3, 10, 0, "");
    }

    @Test
    void ratiosAreThisRowsRateOverThePeersInTheSameScenarioAndN() {
        String md = Report.markdown(List.of(
                row("channel-fanout", "max", "walkerd", 300),
                row("channel-fanout", "max", Report.NODE_WS, 100),
                row("channel-fanout", "max", Report.SOCKET_IO, 150)), List.of(), List.of("date: today"), null);
        assertThat(md).contains("| channel-fanout max | 100 | walkerd | 300 | 1.00 | 2.00 | 3.00 | 3.00 | 2.00 |");
    }

    @Test
    void fixedRateRowsHaveNoRatio() {
        String md = Report.markdown(List.of(row("channel-fanout", "@10/s", "walkerd", 1000), row("channel-fanout", "@10/s", Report.NODE_WS, 1000)),
                List.of(), List.of(), null);
        assertThat(md).contains("| channel-fanout @10/s | 100 | walkerd | 1,000 | 1.00 | 2.00 | 3.00 |  |  |");
    }
}
