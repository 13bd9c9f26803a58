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

    @Test
    void connectRowsCompareLatencyWithNodeWsAndFailedChecksAreMarked() {
        Result walkerd = new Result("connect", "100 in flight", 1000, "walkerd", 2000, 4, 20, 30, 1000, 0, "conn/s");
        Result ws = new Result("connect", "100 in flight", 1000, Report.NODE_WS, 4000, 2, 10, 15, 1000, 0, "conn/s");
        Result three = new Result("three-instance", "30×100", 3000, "walkerd", 90000, 5, 9, 10, 180000, 2, "FAILED: 180,000 deliveries; 2 duplicates");
        String md = Report.markdown(List.of(walkerd, ws, three), List.of(), List.of(), null);
        assertThat(md).contains("| connect 100 in flight | 1,000 | walkerd | 2,000 | 4.00 | 20.0 | 30.0 | 0.50 |  | p50 2.00×, p99 2.00× Node ws; conn/s |");
        assertThat(md).contains("| 2 errors; **FAILED**: 180,000 deliveries; 2 duplicates |");
    }
}
