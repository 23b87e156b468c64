package io.tagpipe.dev.demo;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.tagpipe.cli.report.ClickHouseReads;
import io.tagpipe.cli.report.ReportException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** Measures {@link Counts} and prints a progress line every few seconds while the demo runs. */
final class Progress implements AutoCloseable {
    private final Admin admin;
    private final String recordsTopic;
    private final StatsTally tally;
    private final ClickHouseReads clickhouse;
    private final String database;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tagpipe-demo-progress");
        t.setDaemon(true);
        return t;
    });
    private final long startMillis;
    private Counts last;

    Progress(Admin admin, String recordsTopic, StatsTally tally, ClickHouseReads clickhouse, String database, Clock clock) {
        this.admin = admin;
        this.recordsTopic = recordsTopic;
        this.tally = tally;
        this.clickhouse = clickhouse;
        this.database = database;
        this.clock = clock;
        this.startMillis = clock.millis();
    }

    void printEvery(Duration every, Supplier<String> phase, PrintWriter out) {
        last = measure();
        timer.scheduleAtFixedRate(() -> {
            try {
                Counts now = measure();
                out.println(now.progressLine(phase.get(), (now.atMillis() - startMillis) / 1000, last));
                out.flush();
                last = now;
            } catch (RuntimeException e) {
                out.println("  (progress not measurable right now: " + e.getMessage() + ")");
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    Counts measure() {
        return new Counts(clock.millis(), produced(), tally.kept(), tally.droppedByReason(), stored());
    }

    /** Records the apps have written: the sum of the records topic's end offsets (the topic starts empty). */
    long produced() {
        try {
            List<TopicPartition> parts = admin.describeTopics(List.of(recordsTopic)).allTopicNames().get()
                    .get(recordsTopic).partitions().stream().map(p -> new TopicPartition(recordsTopic, p.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = parts.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(i -> i.offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read end offsets of " + recordsTopic + ": " + e.getMessage());
        }
    }

    /** Rows in the logs and metrics tables (0 until the sink created them). */
    long stored() {
        try {
            return Long.parseLong(clickhouse.text("SELECT (SELECT count() FROM `" + database + "`.logs) + (SELECT count() FROM `"
                    + database + "`.metrics)").strip());
        } catch (ReportException e) {
            return 0;
        }
    }

    /** Distinct record ids in the logs and metrics tables (0 until the sink created them). */
    long distinctStored() {
        try {
            return Long.parseLong(clickhouse.text("SELECT uniqExact(id) FROM (SELECT id FROM `" + database
                    + "`.logs UNION ALL SELECT id FROM `" + database + "`.metrics)").strip());
        } catch (ReportException e) {
            return 0;
        }
    }

    /** Records counted in the ingest_stats table (kept + dropped, as stored by the sink); 0 until it exists. */
    long statsStored() {
        try {
            return Long.parseLong(clickhouse.text("SELECT sum(count) FROM `" + database + "`.ingest_stats").strip());
        } catch (ReportException | NumberFormatException e) {
            return 0;
        }
    }

    /** Stops the progress lines; {@link #measure()} still works. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
