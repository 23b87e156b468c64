package io.tagpipe.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;

/**
 * The whole pipeline with real processes (broker and ClickHouse from testkit, processor and sink
 * as child JVMs) under one fault each. After each: ClickHouse holds exactly the predicted
 * survivors, ingest_stats sum to what was received, the DLQ is empty. Rows go to the fault table.
 */
@ExtendWith(RealServices.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineFaultsIT {
    /** How long outages last: short by default, 30 s with -Dtagpipe.soak=true. */
    static final Duration OUTAGE = Duration.ofSeconds(FaultRun.SOAK ? 30 : 10);
    /** SIGTERM grace before SIGKILL: 18.16 serves on for 10–25 s after SIGTERM, which is no outage. */
    static final Duration STOP_GRACE = Duration.ofSeconds(3);
    static final Duration PAUSE = Duration.ofSeconds(FaultRun.SOAK ? 30 : 15);
    /** The sink's insert/query timeout in the SIGSTOP fault: a third of the freeze (or less), so it must give up. */
    static final Duration SINK_TIMEOUT = Duration.ofSeconds(5);
    /** How long a kill fault waits for the state it must hit (partitions owned, an INSERT running). */
    static final Duration OWNER_BOUND = Duration.ofSeconds(90);
    static final Duration INSERT_BOUND = Duration.ofSeconds(60);

    private final FaultTable table = FaultTable.fromSystemProperty();

    @AfterAll
    void printTable() {
        table.print();
    }

    @Test
    @Order(1)
    void processorKilledWithSigkillAndRestarted(KafkaBroker kafka, ClickHouseServer ch, @TempDir Path dir) throws Exception {
        check(new FaultRun(kafka, ch, dir).run("kill -9 processor (1 instance), restart", 1, p -> {
            p.processor(0).kill9();
            FaultRun.awaitRunning(restarted(p), 1);
            return "";
        }));
    }

    @Test
    @Order(2)
    void oneOfTwoProcessorsKilledWithSigkill(KafkaBroker kafka, ClickHouseServer ch, @TempDir Path dir) throws Exception {
        check(new FaultRun(kafka, ch, dir).run("kill -9 one of 2 processors (no restart)", 2, p -> {
            String victim = p.processorClientId(1);
            String survivor = p.processorClientId(0);
            // the kill only tests a takeover if the victim was working: fails unless the broker shows it owning partitions
            ProcessorGroup atKill = ProcessorGroup.awaitOwner(kafka, p, victim, List.of(survivor, victim), OWNER_BOUND);
            p.processor(1).kill9();
            return "killed instance owned records partitions " + atKill.owned(victim) + " of " + Pipeline.PARTITIONS
                    + " (group stable; survivor owned " + atKill.owned(survivor) + ")";
        }));
    }

    @Test
    @Order(3)
    void sinkKilledWithSigkillMidBatchAndRestarted(KafkaBroker kafka, ClickHouseServer ch, @TempDir Path dir) throws Exception {
        check(new FaultRun(kafka, ch, dir).run("kill -9 sink mid-batch, restart", 1, p -> {
            // fails unless ClickHouse still runs one of the sink's INSERTs once the sink is frozen; SIGKILL then
            MidInsertKill hit = MidInsertKill.killDuringInsert(ch, p.sink(), p.db, INSERT_BOUND);
            long rows = p.storedCount();
            p.startSink();
            return "killed with its INSERT into " + hit.table() + " in flight (ClickHouse " + hit.elapsedMs()
                    + " ms into it, still running it with the sink frozen" + (hit.thawed() == 0 ? "" : "; "
                    + hit.thawed() + " earlier INSERTs ended before the check") + "), " + rows + " rows stored";
        }));
    }

    @Test
    @Order(4)
    void clickHouseStoppedThenStarted(KafkaBroker kafka, ClickHouseServer ch, @TempDir Path dir) throws Exception {
        Verdict v = new FaultRun(kafka, ch, dir).run("ClickHouse stopped " + OUTAGE.toSeconds() + " s, started", 1, p -> {
            long begin = System.nanoTime();
            try {
                ch.stop(STOP_GRACE);
                hold(OUTAGE);
            } finally {
                ch.start();
            }
            return "stopped (SIGTERM, SIGKILL after " + STOP_GRACE.toSeconds() + " s) for "
                    + (System.nanoTime() - begin) / 1_000_000_000 + " s, sink paused: "
                    + p.sink().output().contains("ClickHouse unavailable");
        });
        check(v);
        // records kept arriving during the outage: the sink must have met it, or this test proved nothing
        assertThat(v.note()).as("the sink saw the outage").contains("sink paused: true");
    }

    @Test
    @Order(5)
    void clickHouseFrozenWithSigstop(KafkaBroker kafka, ClickHouseServer ch, @TempDir Path dir) throws Exception {
        AtomicReference<String> pause = new AtomicReference<>();
        Verdict v = new FaultRun(kafka, ch, dir).sinkInsertTimeout(SINK_TIMEOUT)
                .run("ClickHouse SIGSTOP " + PAUSE.toSeconds() + " s (slow), SIGCONT", 1, p -> {
                    SinkLog log = SinkLog.mark(p.sink());
                    long retries;
                    ch.pause();
                    try {
                        hold(PAUSE);
                        // read while ClickHouse is still frozen: the sink's answer to the freeze, not to the thaw
                        pause.set(log.firstPause());
                        retries = log.failedRetries();
                    } finally {
                        ch.resume();
                    }
                    return "sink call timeout " + p.sinkInsertTimeoutText() + "; " + (pause.get() == null
                            ? "the sink did not pause during the freeze"
                            : "during the freeze the sink paused (" + SinkLog.reason(pause.get())
                                    + "), failed retries: " + retries);
                });
        table.add(v);
        // its calls time out after a third of the freeze: a sink that did not pause did not notice the freeze at all
        assertThat(pause.get()).as("sink log while ClickHouse was frozen: a failed call and a pause").isNotNull();
        assertExact(v);
    }

    @Test
    @Order(6)
    void brokerRestartedMidStream(KafkaBroker kafka, ClickHouseServer ch, @TempDir Path dir) throws Exception {
        check(new FaultRun(kafka, ch, dir).run("broker restart (stop, start)", 1, p -> {
            long begin = System.nanoTime();
            try {
                kafka.stop();
            } finally {
                kafka.start();
            }
            return "broker away " + (System.nanoTime() - begin) / 1_000_000 + " ms";
        }));
    }

    @Test
    @Order(7)
    void brokerDownForTheApplications(KafkaBroker kafka, ClickHouseServer ch, @TempDir Path dir) throws Exception {
        CollectorOutage.Result r = new CollectorOutage(kafka, ch, dir).run(OUTAGE);
        table.add(r.verdict());
        assertThat(r.blockedMillis()).as("app thread time for %d log calls while the broker was down", CollectorOutage.DURING)
                .isLessThan(5_000);
        assertThat(r.dropped()).as("records dropped (queue full) while down").isPositive();
        assertThat(r.reportedDrops()).as("drop metric sent after recovery").isEqualTo(r.dropped());
        assertThat(r.deliveredDuring() + r.dropped()).as("every call during the outage delivered or counted")
                .isEqualTo(CollectorOutage.DURING);
        assertThat(r.deliveredBefore()).isEqualTo(CollectorOutage.BEFORE);
        assertThat(r.deliveredAfter()).as("everything sent after recovery that fit the buffer").isEqualTo(CollectorOutage.AFTER);
        assertExact(r.verdict());
    }

    private static Pipeline restarted(Pipeline p) {
        p.startProcessor(0);
        return p;
    }

    /** The fault's duration: nothing to wait for but time itself. */
    static void hold(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        await().atMost(d.plusSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> System.nanoTime() >= until);
    }

    private void check(Verdict v) {
        table.add(v);
        assertExact(v);
    }

    private static void assertExact(Verdict v) {
        assertThat(v.sent()).as("records on the records topic").isGreaterThan(0);
        assertThat(v.recoverySeconds()).as("pipeline complete and drained in time: %s", v).isNotNegative();
        assertThat(v.exact()).as("exactly the predicted survivors: %s", v).isTrue();
        assertThat(v.note()).as("stats equal received, nothing in the DLQ").contains("stats = received", "dlq 0");
    }
}
