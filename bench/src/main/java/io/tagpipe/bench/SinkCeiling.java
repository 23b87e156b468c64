package io.tagpipe.bench;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.clickhouse.client.api.Client;
import com.clickhouse.data.ClickHouseFormat;
import io.tagpipe.bench.cpu.CpuMeter;
import io.tagpipe.bench.cpu.CpuUse;
import io.tagpipe.sink.ClickHouseStore;
import io.tagpipe.testkit.ClickHouseServer;

/**
 * The ceiling the sink is held to in {@link SinkStage}: client-v2 streaming the very rows a sink run
 * stored, pre-encoded RowBinary, from this JVM in one INSERT — and the figures that compare the two.
 */
final class SinkCeiling {
    private SinkCeiling() {
    }

    /**
     * The sink against client-v2 streaming the same rows, pre-encoded, from this JVM: rows/s and CPU
     * per row. The headline compares the sink's steady state (first batch visible → last row: no
     * start-up, no group join) with the ceiling, which has neither.
     */
    static void report(List<SinkStage.Drain> measured, List<SinkStage.Drain> ceilingRuns, int records, Report report) {
        int runs = measured.size();
        boolean steadyPhase = measured.stream().allMatch(d -> d.steadyCpu() != null);
        List<SinkStage.Drain> sinkRuns = measured.stream().map(d -> d.steadyOrTotal(records)).toList();
        double ceilingRate = Report.median(ceilingRuns.stream().map(SinkStage.Drain::total).toList());
        report.add("sink", "client-v2 insert of the same rows, pre-encoded RowBinary, this JVM (ceiling)", "rows/s", ceilingRate,
                "rows/s", runs, "", "one INSERT from a file; runs " + ceilingRuns.stream().map(d -> Math.round(d.total())).toList());
        for (String clock : List.of(SinkStage.THREADS, SinkStage.JVM, SinkStage.SERVER, SinkStage.BROKER)) {
            String note = switch (clock) {
                case SinkStage.THREADS -> "the sink's threads (tagpipe-*, its Kafka consumer's); the ceiling: its inserting thread";
                case SinkStage.JVM -> "GC, JIT and the bench's count() polls (10/s) included";
                default -> "";
            };
            report.add("sink", "tagpipe sink, " + clock + ", start to last row", "CPU per row", median(measured, clock, records), "µs", runs, "", note);
            List<Double> steadyRuns = measured.stream().map(d -> d.steadyMicros(clock)).toList();
            report.add("sink", "tagpipe sink, " + clock + ", steady state", "CPU per row", Report.median(steadyRuns), "µs", runs, "",
                    "runs " + steadyRuns.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList());
            report.add("sink", "ceiling, " + clock, "CPU per row", median(ceilingRuns, clock, records), "µs", runs, "", "");
        }
        List<Double> ofCeiling = new ArrayList<>();
        for (int r = 0; r < runs; r++) { // paired: the same run's sink and ceiling saw the same machine
            ofCeiling.add(sinkRuns.get(r).steady() / ceilingRuns.get(r).total());
        }
        double share = Report.median(ofCeiling);
        report.add("sink", "tagpipe sink " + (steadyPhase ? "steady state" : "start to last row") + " / ceiling, rows/s", "ratio", share * 100, "%", runs,
                ">= " + Math.round(SinkStage.TARGET_OF_CEILING * 100) + " %", "median of the runs' ratios");
        double sinkMicros = Report.median(sinkRuns.stream().map(d -> d.steadyMicros(SinkStage.THREADS)).toList());
        double ceilingMicros = median(ceilingRuns, SinkStage.THREADS, records);
        double sinkRate = Report.median(sinkRuns.stream().map(SinkStage.Drain::steady).toList());
        String phase = steadyPhase ? "steady state" : "start to last row (no steady phase: one batch held every row)";
        report.headline(new Report.Headline("sink, " + phase + " (its threads in the bench JVM)", sinkMicros, sinkRate, "rows/s",
                String.format(Locale.ROOT, "client-v2 pre-encoded RowBinary, one INSERT: %s, %s", Report.number(ceilingMicros, "µs"),
                        Report.number(ceilingRate, "rows/s")),
                "rows/s ≥ " + Math.round(SinkStage.TARGET_OF_CEILING * 100) + " % of the ceiling",
                String.format(Locale.ROOT, "%.0f %% of the ceiling's rows/s; the ceiling's CPU per row is %.0f %% of the sink's",
                        share * 100, ceilingMicros / sinkMicros * 100), share >= SinkStage.TARGET_OF_CEILING));
        report.headline(new Report.Headline("ClickHouse insert (clickhouse-server, sink " + phase + ")",
                Report.median(sinkRuns.stream().map(d -> d.steadyMicros(SinkStage.SERVER)).toList()), sinkRate, "rows/s",
                "while the ceiling ran: " + Report.number(median(ceilingRuns, SinkStage.SERVER, records), "µs"), "", "", null));
    }

    private static double median(List<SinkStage.Drain> runs, String clock, int records) {
        return Report.median(runs.stream().map(d -> d.cpu().microsPerRecord(clock, records)).toList());
    }

    /**
     * The ceiling: the rows the sink stored, exported as RowBinary to a file first (not timed), then
     * streamed by client-v2 from this SinkStage.JVM into an empty table of the same schema in one INSERT — no
     * Kafka, no decoding, no batching: what the sink's insert path could do at best.
     */
    static SinkStage.Drain insert(ClickHouseServer ch, CpuMeter meter, String fromDb, String db, int records) throws Exception {
        try (ClickHouseStore store = new ClickHouseStore(ch.url(), "default", "", db, Duration.ofSeconds(60))) {
            store.ensureSchema();
        }
        Path file = Files.createTempFile("tagpipe-bench-rows", ".rowbinary");
        try (Client client = new Client.Builder().addEndpoint(ch.url()).setUsername("default").setPassword("")
                .compressServerResponse(false).compressClientRequest(false).build()) {
            SinkStage.export(ch, fromDb, "RowBinary", file);
            CpuMeter.Window window = meter.start();
            // on a thread of its own, named like the sink's, so the stage-threads clock sees it alone
            // (alive until the window is read: a thread that ended takes its CPU time with it)
            CompletableFuture<Void> insert = new CompletableFuture<>();
            CountDownLatch measured = new CountDownLatch(1);
            Thread t = new Thread(() -> {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                    client.insert(db + ".logs", in, ClickHouseFormat.RowBinary).get(300, TimeUnit.SECONDS).close();
                    insert.complete(null);
                } catch (Throwable e) {
                    insert.completeExceptionally(e);
                }
                awaitQuietly(measured);
            }, "tagpipe-ceiling-insert");
            t.start();
            CpuUse cpu;
            try {
                insert.get();
            } finally {
                cpu = window.stop();
                measured.countDown();
                t.join();
            }
            long n = SinkStage.count(ch, db + ".logs");
            if (n != records) {
                throw new IllegalStateException("the ceiling's insert stored " + n + " rows, expected " + records);
            }
            return new SinkStage.Drain(cpu.perSecond(records), cpu.perSecond(records), cpu, cpu, records);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
