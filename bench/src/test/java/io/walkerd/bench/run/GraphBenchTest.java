package io.walkerd.bench.run;

import io.walkerd.bench.load.Result;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GraphBenchTest {
    private static GraphBench.Throughput rate(double r) {
        return GraphBench.Throughput.of(List.of(new Result("walker-rest", "x", 100, "walkerd", r, 1, 2, 3, 10, 0, "")));
    }

    @Test
    void percentilesAreNearestRank() {
        long[] ms = new long[200];
        for (int i = 0; i < ms.length; i++) ms[i] = (i + 1) * 1_000_000L; // 1..200 ms
        GraphBench.Latency l = GraphBench.Latency.of(ms);
        assertThat(l.p50()).isEqualTo(100.0);
        assertThat(l.p99()).isEqualTo(198.0);
        assertThat(l.calls()).isEqualTo(200);
        assertThat(GraphBench.Latency.of(new long[] {5_000_000, 1_000_000, 9_000_000}).p99()).isEqualTo(9.0); // few calls: the slowest
    }

    @Test
    void throughputIsTheMedianOfTheRoundsSoAStalledRoundDoesNotCount() {
        GraphBench.Throughput t = GraphBench.Throughput.of(List.of(
                new Result("walker-rest", "x", 100, "walkerd", 0, Double.NaN, Double.NaN, Double.NaN, 0, 0, ""),
                new Result("walker-rest", "x", 100, "walkerd", 3960, 1, 2, 3, 10, 0, ""),
                new Result("walker-rest", "x", 100, "walkerd", 3329, 1, 2, 3, 10, 0, "")));
        assertThat(t.reqPerSec()).isEqualTo(3329);
        assertThat(GraphBench.rate(t)).isEqualTo("3,329 req/s (p50 1.00 ms, p99 2.00 ms); rounds 0 · 3,960 · 3,329");
    }

    @Test
    void theTableJudgesTheEmbeddedStoreAndShowsTheMongoDoubleBeside() {
        GraphBench.Figures sqlite = new GraphBench.Figures(GraphBench.SQLITE);
        sqlite.walk2000 = GraphBench.Latency.of(new long[] {20_000_000, 22_000_000});
        sqlite.addTask = GraphBench.Latency.of(new long[] {30_000_000});
        sqlite.hello = rate(10_000);
        sqlite.readEmpty = rate(7_000);
        sqlite.readFilled = rate(5_000);
        sqlite.nodeEmpty = rate(5_500);
        sqlite.nodeFilled = rate(5_000);
        GraphBench.Figures mongo = new GraphBench.Figures(GraphBench.MONGODB);
        mongo.walk2000 = GraphBench.Latency.of(new long[] {90_000_000});
        String md = GraphBench.markdown(List.of(sqlite, mongo), List.of("date: today"), List.of("graph-sqlite-add-task-2000"));
        assertThat(md).contains("- date: today");
        assertThat(md).contains("| 1. `walk_projects` on one project of 2,000 tasks (2,001 nodes reported) | ≤ 25 ms | p50 20.0 ms · p99 22.0 ms (2 calls) | **pass** | p50 90.0 ms · p99 90.0 ms (1 calls) | ✗ |");
        assertThat(md).contains("| ≤ 150 ms | — | — | — | — |"); // not measured on either
        assertThat(md).contains("p50 30.0 ms · p99 30.0 ms (1 calls) | **FAIL**");
        assertThat(md).contains("| ≥ 5,000 req/s | 5,500 req/s (p50 1.00 ms, p99 2.00 ms) | **pass** |");
        assertThat(md).contains("7,000 req/s = 70% of 10,000 | **pass**");
        assertThat(md).contains("5,000 vs 7,000 req/s (-29%) | **FAIL**");
        assertThat(md).contains("5,000 vs 5,500 req/s (-9%) | **pass**");
        assertThat(md).contains("[graph-sqlite-add-task-2000](profiles/graph-sqlite-add-task-2000.txt)");
    }

    @Test
    void replacesOnlyWhatStandsBetweenTheMarkers() throws Exception {
        Path readme = Files.createTempFile("readme", ".md");
        try {
            Files.writeString(readme, "before\n<!-- graph:start -->\nold\n<!-- graph:end -->\nafter\n");
            GraphBench.updateMarkers(readme, "new table\n");
            assertThat(Files.readString(readme)).isEqualTo("before\n<!-- graph:start -->\nnew table\n<!-- graph:end -->\nafter\n");
        } finally {
            Files.delete(readme);
        }
    }
}
