package io.tagpipe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves {@code tagpipe bench} works end to end on tiny sizes (1k records, 300 ms JMH iterations,
 * the two tagpipe appenders, two producer JVMs at 300 rec/s): every stage runs on a real broker and a real clickhouse-server and
 * reports a finite figure. It measures nothing worth reading; speed is never asserted.
 */
class BenchSmokeIT {
    @Test
    void everyStageReportsAFigure(@TempDir Path out) throws Exception {
        Bench.Options options = Bench.Options.smoke(out);
        Report report = Bench.run(options, "smoke");
        int targets = options.targets().size();

        Map<String, List<Report.Row>> byStage = report.rows().stream().collect(Collectors.groupingBy(Report.Row::stage));
        assertThat(byStage).containsKeys("log call", "broker down", "sender", "processor", "sink", "end to end", "memory");
        assertThat(byStage.get("log call")).anySatisfy(r -> {
            assertThat(r.metric()).isEqualTo("p50");
            assertThat(r.value()).isPositive().isFinite();
        });
        // every appender (the no-op floors too) has its median and its garbage per call
        assertThat(byStage.get("log call")).filteredOn(r -> r.metric().equals("p50")).hasSize(targets);
        assertThat(byStage.get("log call")).filteredOn(r -> r.metric().equals("allocated per call")).hasSize(targets)
                .allSatisfy(r -> assertThat(r.value()).isPositive().isFinite());
        // the broker-down probe saw calls return (tagpipe never blocks, even with a tiny budget)
        assertThat(byStage.get("broker down")).filteredOn(r -> r.metric().equals("p50"))
                .hasSize(targets).allSatisfy(r -> assertThat(r.value()).isPositive().isFinite());
        assertThat(byStage.get("sink")).filteredOn(r -> r.unit().equals("rows/s") && !r.subject().endsWith("steady state"))
                .hasSize(5).allSatisfy(r -> assertThat(r.value()).isPositive().isFinite());
        // like for like: keep-all policies and the demo's mix, each against the passthrough writing the same
        // records out, CPU per record; beside keep-all, the passthrough writing its input unchanged (no target)
        assertThat(byStage.get("processor")).filteredOn(r -> r.metric().equals("ratio"))
                .hasSize(3).allSatisfy(r -> assertThat(r.value()).isPositive().isFinite());
        assertThat(byStage.get("processor")).filteredOn(r -> r.metric().equals("ratio") && !r.target().isEmpty())
                .extracting(Report.Row::subject).containsExactly("tagpipe / passthrough CPU per record, keep-all policies",
                        "tagpipe / passthrough CPU per record, the demo's policy mix");
        // end to end: rows reached ClickHouse through producer, processor and sink JVMs (the stage
        // itself fails unless every shipped row arrives), and markers became queryable
        assertThat(byStage.get("end to end")).filteredOn(r -> r.subject().contains("max sustained") || r.metric().startsWith("latency"))
                .hasSize(4).allSatisfy(r -> assertThat(r.value()).isPositive().isFinite());
        // equality, not count() >=: every record the producers delivered stored exactly once, by id
        assertThat(byStage.get("end to end")).filteredOn(r -> r.subject().startsWith("every record delivered stored exactly once"))
                .hasSize(2).allSatisfy(r -> assertThat(r.value()).as(r.note()).isZero());
        // memory: read from the processor's and the sink's own GC log (a full GC at max load) and /proc status
        assertThat(byStage.get("memory")).hasSize(8).allSatisfy(r -> assertThat(r.value()).isPositive().isFinite());
        assertThat(byStage.get("memory")).filteredOn(r -> r.metric().equals("live heap at max load"))
                .extracting(Report.Row::subject).containsExactly("processor (-Xmx2g)", "sink (-Xmx2g)");
        // the headline: CPU per record of collector send (one sender; producer JVMs end to end), processor (both mixes),
        // sink, ClickHouse insert, broker, end to end
        assertThat(report.headline()).filteredOn(h -> !h.stage().contains("memory") && !h.stage().contains("latency"))
                .hasSize(8).allSatisfy(h -> assertThat(h.cpuMicrosPerRecord()).as(h.stage()).isPositive().isFinite());

        JsonNode json = new ObjectMapper().readTree(out.resolve("bench.json").toFile());
        assertThat(json.get("rows")).hasSize(report.rows().size());
        assertThat(json.get("headline")).hasSize(report.headline().size());
        assertThat(Files.readString(out.resolve("bench.md"))).contains("| sink | tagpipe sink", "| stage | CPU µs/record |");
    }
}
