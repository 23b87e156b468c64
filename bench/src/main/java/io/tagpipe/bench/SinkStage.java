package io.tagpipe.bench;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tagpipe.bench.cpu.CpuMeter;
import io.tagpipe.bench.cpu.CpuUse;
import io.tagpipe.sink.ClickHouseStore;
import io.tagpipe.sink.Sink;
import io.tagpipe.sink.SinkConfig;
import io.tagpipe.testkit.ClickHouseServer;

/**
 * Stage 3: N kept records already in a 4-partition topic, drained into the same table shape by the
 * tagpipe sink, by ClickHouse's Kafka engine + materialized view (1 and 2 consumers), by
 * {@code clickhouse-client} inserting the very same rows from a file, and — the ceiling the sink is
 * held to — by client-v2 streaming those rows pre-encoded from this JVM. For the sink and the
 * ceiling the CPU time of this JVM, clickhouse-server and the broker over each one's window.
 */
public final class SinkStage {
    private SinkStage() {
    }

    /** Target: the sink's rows/s at least this fraction of the ceiling's, measured in the same run. */
    static final double TARGET_OF_CEILING = 0.5;
    static final String THREADS = "sink threads";
    static final String JVM = "bench JVM";
    static final String SERVER = "clickhouse-server";
    static final String BROKER = "broker";

    public static void run(String bootstrap, long brokerPid, ClickHouseServer ch, int records, int runs, Report report)
            throws Exception {
        String prefix = "sinkbench" + System.nanoTime() % 100_000;
        String topic = prefix + ".kept";
        for (String t : List.of(topic, prefix + ".stats", prefix + ".dlq")) {
            BrokerProcess.createTopic(bootstrap, t, 4, Map.of());
        }
        Traffic.produce(bootstrap, topic, records, true);

        List<Double> sink = new ArrayList<>();
        List<Double> sinkSteady = new ArrayList<>();
        List<Double> engine1 = new ArrayList<>();
        List<Double> engine1Steady = new ArrayList<>();
        List<Double> engine2 = new ArrayList<>();
        List<Double> client = new ArrayList<>();
        List<Drain> sinkRuns = new ArrayList<>();
        List<Drain> ceilingRuns = new ArrayList<>();
        CpuMeter meter = new CpuMeter().threads(THREADS, n -> n.startsWith("tagpipe-") || n.contains(prefix)).thisJvm(JVM)
                .process(SERVER, ch.pid()).process(BROKER, brokerPid);
        for (int r = 0; r < runs; r++) {
            String db = prefix + "_t" + r;
            // the ceiling inserts the rows a sink stored: first in even runs, so odd runs take the previous run's
            boolean ceilingFirst = r % 2 == 1;
            if (ceilingFirst) {
                ceilingRuns.add(SinkCeiling.insert(ch, meter, prefix + "_t" + (r - 1), prefix + "_v" + r, records));
            }
            Drain t = tagpipeSink(bootstrap, ch, meter, prefix, topic, db, records);
            sinkRuns.add(t);
            sink.add(t.total());
            sinkSteady.add(t.steady());
            if (!ceilingFirst) {
                ceilingRuns.add(SinkCeiling.insert(ch, meter, db, prefix + "_v" + r, records));
            }
            Drain e = kafkaEngine(bootstrap, ch, topic, prefix + "_k1_" + r, 1, records);
            engine1.add(e.total());
            engine1Steady.add(e.steady());
            engine2.add(kafkaEngine(bootstrap, ch, topic, prefix + "_k2_" + r, 2, records).total());
            client.add(clickhouseClient(ch, db, prefix + "_c" + r, records));
            System.out.printf("    run %d: sink %.0f, client-v2 RowBinary ceiling %.0f, engine(1) %.0f, engine(2) %.0f, clickhouse-client %.0f rows/s%n",
                    r, sink.get(r), ceilingRuns.get(r).total(), engine1.get(r), engine2.get(r), client.get(r));
        }
        double s = Report.median(sink);
        double e1 = Report.median(engine1);
        report.add("sink", "tagpipe sink (RowBinary, 50k-row batches)", "rows/s", s, "rows/s", runs, "", "runs " + sink);
        report.add("sink", "ClickHouse Kafka engine + MV, 1 consumer", "rows/s", e1, "rows/s", runs, "", "runs " + engine1);
        report.add("sink", "ClickHouse Kafka engine + MV, 2 consumers", "rows/s", Report.median(engine2), "rows/s", runs, "", "runs " + engine2);
        report.add("sink", "clickhouse-client < file (TabSeparated), its own process", "rows/s", Report.median(client), "rows/s", runs, "", "runs " + client);
        report.add("sink", "tagpipe sink / Kafka engine (1 consumer)", "ratio", s / e1, "x", runs, ">= 1.5 x", "start to last row");
        double ss = Report.median(sinkSteady);
        double es = Report.median(engine1Steady);
        String steady = "rows after the first batch landed / time since it landed (start-up, group join excluded)";
        report.add("sink", "tagpipe sink, steady state", "rows/s", ss, "rows/s", runs, "", steady + "; runs " + sinkSteady);
        report.add("sink", "Kafka engine + MV (1 consumer), steady state", "rows/s", es, "rows/s", runs, "", Double.isNaN(es)
                ? "n/a: the first count() (polled every 100 ms) that saw any row saw all of them: no steady phase to time"
                : steady + "; runs " + engine1Steady);
        report.add("sink", "tagpipe sink / Kafka engine (1 consumer), steady state", "ratio", ss / es, "x", runs, ">= 1.5 x", "");
        SinkCeiling.report(sinkRuns, ceilingRuns, records, report);
    }

    /** Rows/s from start to the last row, and from the first row that became visible to the last. */
    record Drain(double total, double steady, CpuUse cpu, CpuUse steadyCpu, long steadyRows) {
        /** Steady-state CPU per row of {@code clock}: from the first visible batch to the last row. */
        double steadyMicros(String clock) {
            return steadyCpu == null ? Double.NaN : steadyCpu.microsPerRecord(clock, steadyRows);
        }

        /** The steady state, or start to last row when the first batch held every row (tiny runs). */
        Drain steadyOrTotal(long records) {
            return steadyCpu != null ? this : new Drain(total, total, cpu, cpu, records);
        }
    }

    /** Waits until {@code table} holds {@code records} rows, noting when the first batch became visible. */
    static Drain drain(ClickHouseServer ch, String table, int records, long t0) throws Exception {
        return drain(ch, table, records, t0, null, null);
    }

    /** Also the CPU clocks of {@code meter}: over {@code total} (opened at t0) and over the steady phase. */
    static Drain drain(ClickHouseServer ch, String table, int records, long t0, CpuMeter meter, CpuMeter.Window total)
            throws Exception {
        long[] first = {0, 0}; // {time, rows} of the first non-empty count
        List<CpuMeter.Window> steadyWindow = new ArrayList<>();
        Waits.until(Duration.ofMinutes(20), () -> {
            long n = count(ch, table);
            if (n > 0 && first[0] == 0) {
                first[0] = System.nanoTime();
                first[1] = n;
                if (meter != null) {
                    steadyWindow.add(meter.start());
                }
            }
            return n >= records;
        });
        long end = System.nanoTime();
        CpuUse totalCpu = total == null ? null : total.stop();
        boolean noSteadyPhase = first[1] >= records;
        double steady = noSteadyPhase ? Double.NaN : (records - first[1]) / ((end - first[0]) / 1e9);
        CpuUse steadyCpu = noSteadyPhase || steadyWindow.isEmpty() ? null : steadyWindow.get(0).stop();
        return new Drain(records / ((end - t0) / 1e9), steady, totalCpu, steadyCpu, records - first[1]);
    }

    static Drain tagpipeSink(String bootstrap, ClickHouseServer ch, CpuMeter meter, String prefix, String topic, String db,
                             int records) throws Exception {
        SinkConfig config = SinkConfig.builder().bootstrapServers(bootstrap).clickhouseUrl(ch.url()).database(db)
                .groupId(db).keptTopics(List.of(topic)).statsTopic(prefix + ".stats").dlqTopic(prefix + ".dlq").build();
        CpuMeter.Window window = meter.start();
        long t0 = System.nanoTime();
        try (Sink sink = Sink.start(config, Clock.systemUTC())) {
            return drain(ch, db + ".logs", records, t0, meter, window);
        }
    }

    static Drain kafkaEngine(String bootstrap, ClickHouseServer ch, String topic, String db, int consumers, int records)
            throws Exception {
        try (ClickHouseStore store = new ClickHouseStore(ch.url(), "default", "", db, Duration.ofSeconds(60))) {
            store.ensureSchema();
        }
        ch.query("CREATE TABLE " + db + ".kq (v UInt8, id String, app String, kind String, ts UInt64, host String,"
                + " level String, logger String, thread String, message String, sample_rate Float64,"
                + " retention_days UInt16, importance String) ENGINE = Kafka SETTINGS kafka_broker_list = '"
                + bootstrap + "', kafka_topic_list = '" + topic + "', kafka_group_name = '" + db
                + "', kafka_format = 'JSONEachRow', kafka_num_consumers = " + consumers);
        long t0 = System.nanoTime();
        // 18.16 resolves `ts` inside the view to the output alias: qualify the source column
        ch.query("CREATE MATERIALIZED VIEW " + db + ".mv TO " + db + ".logs AS SELECT toDateTime(intDiv(kq.ts, 1000)) AS ts,"
                + " toInt64(kq.ts) AS ts_ms, id, app, '' AS app_source, host, level, logger, thread, message, '' AS exception,"
                + " '' AS trace_id, '' AS span_id, emptyArrayString() AS `attrs.key`, emptyArrayString() AS `attrs.value`,"
                + " sample_rate, retention_days, importance, '" + topic + "' AS kafka_topic, toUInt32(0) AS kafka_partition,"
                + " toUInt64(0) AS kafka_offset FROM " + db + ".kq");
        try {
            return drain(ch, db + ".logs", records, t0);
        } finally {
            ch.query("DROP TABLE " + db + ".mv");
            ch.query("DROP TABLE " + db + ".kq");
        }
    }

    /** Exports the rows the sink wrote, then times {@code clickhouse-client} inserting them from the file. */
    static double clickhouseClient(ClickHouseServer ch, String fromDb, String db, int records) throws Exception {
        try (ClickHouseStore store = new ClickHouseStore(ch.url(), "default", "", db, Duration.ofSeconds(60))) {
            store.ensureSchema();
        }
        Path file = Files.createTempFile("tagpipe-bench-rows", ".tsv");
        try {
            export(ch, fromDb, "TabSeparated", file);
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("clickhouse-client", "--host", "127.0.0.1", "--port", String.valueOf(ch.tcpPort()),
                    "--query", "INSERT INTO " + db + ".logs FORMAT TabSeparated")
                    .redirectInput(file.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("clickhouse-client exited with " + p.exitValue());
            }
            double rate = records / ((System.nanoTime() - t0) / 1e9);
            long n = count(ch, db + ".logs");
            if (n != records) {
                throw new IllegalStateException("clickhouse-client inserted " + n + " rows, expected " + records);
            }
            return rate;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The rows of {@code fromDb.logs} in {@code format}, into {@code file}. */
    static void export(ClickHouseServer ch, String fromDb, String format, Path file) throws Exception {
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ch.url() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("SELECT * FROM " + fromDb + ".logs FORMAT " + format,
                        StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("export of " + fromDb + ".logs failed: HTTP " + r.statusCode());
        }
        try (InputStream in = r.body()) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static long count(ClickHouseServer ch, String table) {
        return ch.queryLong("SELECT count() FROM " + table);
    }
}
