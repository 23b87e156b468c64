package io.tagpipe.bench.overload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import io.tagpipe.bench.overload.Backlog.Sample;
import org.junit.jupiter.api.Test;

class RunResultTest {
    private static final Map<String, Long> PRODUCED = Map.of("critical", 100L, "high", 100L, "normal", 300L, "low", 500L);

    /** n critical rows, the i-th (1..n) acknowledged i × step ms after its log call; backlog growing {@code growth} rec/s the whole 60 s flood, level 1 from 10 s to 70 s. */
    private static RunResult result(boolean shedding, int n, double stepMs, long growth, Map<String, Long> stored,
                                    Map<String, Long> shed) {
        TreeMap<Double, Long> buckets = new TreeMap<>();
        for (double le : new double[] {0.5, 1, 2, 5, 10, 30, Double.POSITIVE_INFINITY}) {
            buckets.put(le, IntStream.rangeClosed(1, n).filter(i -> i * stepMs <= le * 1000).count());
        }
        List<Sample> samples = new ArrayList<>();
        for (int t = 0; t <= 80; t += 2) {
            samples.add(new Sample(t, growth * Math.min(t, 60), t >= 10 && t < 70 ? 1 : 0));
        }
        return new RunResult(shedding, 1000, 60, 400, new DelayHistogram(buckets), new Backlog(samples), PRODUCED, stored, shed, true);
    }

    @Test
    void percentilesAreTheBoundOfTheBucketThatReachesThem() {
        RunResult r = result(true, 200, 10, 0, PRODUCED, Map.of()); // 10 ms .. 2 s
        assertThat(r.p(25)).isEqualTo(500);
        assertThat(r.p(50)).isEqualTo(1000);
        assertThat(r.p(99)).isEqualTo(2000);
        assertThat(result(true, 0, 10, 0, PRODUCED, Map.of()).p(99)).isNaN();
    }

    @Test
    void criticalAndHighCompleteIsACountCheck() {
        assertThat(result(true, 1, 1, 0, Map.of("critical", 100L, "high", 100L, "normal", 10L), Map.of()).criticalAndHighComplete())
                .isTrue();
        assertThat(result(true, 1, 1, 0, Map.of("critical", 99L, "high", 100L), Map.of()).criticalAndHighComplete()).isFalse();
        RunResult undrained = new RunResult(true, 1000, 60, 400, DelayHistogram.empty(), new Backlog(List.of()), PRODUCED, PRODUCED, Map.of(), false);
        assertThat(undrained.criticalAndHighComplete()).isFalse();
    }

    @Test
    void tablePutsTheTwoRunsSideBySide() {
        RunResult on = result(true, 100, 20, 0, Map.of("critical", 100L, "high", 100L, "normal", 200L, "low", 50L),
                Map.of("normal", 100L, "low", 450L));
        RunResult off = result(false, 100, 300, 500, PRODUCED, Map.of());
        List<String> lines = RunResult.table(on, off, 500).lines().toList();

        assertThat(lines.get(0)).isEqualTo("| figure | shedding on | shedding off | target |");
        assertThat(lines).allSatisfy(l -> assertThat(l.chars().filter(c -> c == '|').count()).isEqualTo(5));
        assertThat(row(lines, "stored during the flood")).startsWith("400 rows/s (input 2.5× that)");
        assertThat(row(lines, "critical log call → queryable p99 (at most)")).containsExactly("2.0 s", "30.0 s", "≤ 5 s with shedding on");
        assertThat(row(lines, "critical rows queryable within 5 s")).startsWith("100.0 %", "16.0 %");
        assertThat(row(lines, "critical rows measured / stored")).startsWith("100 / 100", "100 / 100");
        assertThat(row(lines, "backlog growth, last 30 s of the flood")).startsWith("+0 rec/s", "+500 rec/s");
        assertThat(row(lines, "backlog stopped growing")).startsWith("yes", "no");
        assertThat(row(lines, "level back to 0 after the flood")).startsWith("10.0 s", "10.0 s");
        assertThat(row(lines, "low: produced / stored / shed")).startsWith("500 / 50 / 450", "500 / 500 / 0");
        assertThat(row(lines, "all: produced / stored / shed")).startsWith("1000 / 450 / 550", "1000 / 1000 / 0");
        assertThat(row(lines, "critical and high stored completely")).startsWith("yes", "yes");
    }

    /** The cells after the figure's name. */
    private static List<String> row(List<String> lines, String figure) {
        String line = lines.stream().filter(l -> l.startsWith("| " + figure + " |")).findFirst().orElseThrow();
        String[] cells = line.substring(2, line.length() - 2).split(" \\| ", -1);
        return List.of(cells).subList(1, cells.length);
    }
}
