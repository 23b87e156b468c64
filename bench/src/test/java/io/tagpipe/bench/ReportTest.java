package io.tagpipe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @Test
    void headlineLinesShowCpuRatePeerTargetAndWhetherItWasMet() {
        Report r = new Report();
        r.headline(new Report.Headline("processor, keep-all policies", 5.63, 171_234.5, "rec/s", "passthrough: 3.50 µs",
                "CPU ≤ 1.3× passthrough", "1.61×", false));
        r.headline(new Report.Headline("broker", 1.234, 54_600, "rows/s", "", "", "", null));
        r.headline(new Report.Headline("sink memory", Double.NaN, Double.NaN, "", "", "live heap ≤ 256 MiB", "live heap 120 MiB", true));
        assertThat(r.headlineTable().split("\n")).containsExactly(
                "| stage | CPU µs/record | records/s | peer or ceiling (same run) | target | this run | met? |",
                "|---|---:|---:|---|---|---|---|",
                "| processor, keep-all policies | 5.63 µs | 171,235 rec/s | passthrough: 3.50 µs | CPU ≤ 1.3× passthrough | 1.61× | **no** |",
                "| broker | 1.23 µs | 54,600 rows/s |  |  |  |  |",
                "| sink memory | — | — |  | live heap ≤ 256 MiB | live heap 120 MiB | yes |");
    }

    @Test
    void theHeadlineComesFirstInBenchMdAndIsInBenchJson(@TempDir Path dir) throws Exception {
        Report r = new Report();
        r.add("sink", "tagpipe sink", "rows/s", 123_456, "rows/s", 3, "", "");
        r.headline(new Report.Headline("sink", 4.5, 123_456, "rows/s", "ceiling", "≥ 50 %", "61 %", true));
        r.write(dir, "tagpipe bench --stages SINK");
        String md = Files.readString(dir.resolve("bench.md"));
        assertThat(md.indexOf("| stage | CPU µs/record")).isPositive().isLessThan(md.indexOf("| stage | subject |"));
        assertThat(Files.readString(dir.resolve("bench.json"))).contains("\"headline\"", "\"cpuMicrosPerRecord\" : 4.5");
    }

    @Test
    void unknownFiguresAreADashNotZero() {
        assertThat(Report.number(Double.NaN, "µs")).isEqualTo("—");
        assertThat(Report.number(0.0123, "µs")).isEqualTo("0.0123 µs");
        assertThat(Report.number(0, "")).isEqualTo("0");
        assertThat(new Report.Row("s", "x", "m", Double.NaN, "ms", 1, "", "").formatted()).isEqualTo("n/a");
    }
}
