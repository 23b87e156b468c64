package io.tagpipe.sink;

import static io.tagpipe.sink.SinkTestSupport.kept;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * clickhouse-server SIGKILLed again and again while the sink writes large batches spanning many
 * partitions: each batch is many INSERTs (one per partition), so a kill leaves a batch partly
 * written, the case the old "seek past the highest stored offset" rule got wrong.
 */
@ExtendWith(RealServices.class)
class ServerCrashIT {
    private static final long DAY = 86_400_000L;
    private static final int KILLS = 6;
    private static final int PER_ROUND = 40_000;
    private static final double INSERT_SLEEP_SECONDS = 0.05;

    @Test
    void serverKilledMidInsertRepeatedlyLosesNothingAndDuplicatesNothing(KafkaBroker kafka, ClickHouseServer ch)
            throws Exception {
        SinkIT.Names n = SinkIT.Names.create(kafka);
        ServerGuardsIT.createSchema(ch, n.db());
        // every insert block waits a moment before its part is written, so an INSERT seen running
        // is still running when the kill lands (sleep() runs once per block)
        ch.query("ALTER TABLE " + n.db() + ".logs ADD COLUMN slow UInt8 MATERIALIZED sleep(" + INSERT_SLEEP_SECONDS + ")");
        int sent = 0;
        int hits = 0;
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> p = SinkTestSupport.producer(kafka.bootstrapServers());
             Sink sink = Sink.start(n.config(kafka, ch).batchRows(50_000).batchMinRows(50_000)
                     .batchMaxWait(Duration.ofSeconds(2)).build(), Clock.systemUTC())) {
            try {
                for (int k = 0; k < KILLS; k++) {
                    SinkTestSupport.send(p, n.kept(), round(k, now));
                    sent += PER_ROUND;
                    double elapsed = awaitRunningInsert(ch, n.db(), 1 + k * 3 % 8); // mid-batch, at varying depths
                    ch.kill();
                    hits += elapsed < INSERT_SLEEP_SECONDS / 2 ? 1 : 0;
                    System.out.printf("kill %d: the INSERT seen running just before had run %.3f s%n", k + 1, elapsed);
                    ch.start();
                }
            } finally {
                ch.start(); // the server is shared with the other tests
            }
            // offsets are committed only after ClickHouse acknowledged: lag 0 means everything was written
            await().atMost(Duration.ofSeconds(300))
                    .until(() -> SinkTestSupport.lag(kafka.bootstrapServers(), n.group(), n.kept()) == 0);
        }
        System.out.printf("%d kills, %d of them within an INSERT's first %.3f s; %d records sent%n", KILLS, hits,
                INSERT_SLEEP_SECONDS / 2, sent);
        assertThat(hits).as("kills that surely hit a running INSERT").isGreaterThanOrEqualTo(KILLS / 2);
        ServerGuardsIT.assertExactly(ch, n.db(), sent);
        assertThat(ServerGuardsIT.endOffset(kafka, n.dlq())).isZero();
    }

    /** Records over 20 days, interleaved, so every batch is about 20 INSERTs. */
    private static List<Envelope> round(int k, long now) {
        List<Envelope> out = new ArrayList<>(PER_ROUND);
        for (int i = 0; i < PER_ROUND; i++) {
            out.add(kept("c" + k + "-" + i, "app-" + (i % 3), now - (i % 20) * DAY, 30));
        }
        return out;
    }

    /**
     * Polls system.processes until the {@code skip + 1}-th distinct INSERT into {@code db} runs (so
     * {@code skip} inserts, usually of the same batch, were written before it); returns how long it
     * had run (seconds).
     */
    private static double awaitRunningInsert(ClickHouseServer ch, String db, int skip) {
        String sql = "SELECT query_id, elapsed FROM system.processes WHERE query LIKE 'INSERT INTO `" + db + "`%'";
        Set<String> seen = new HashSet<>();
        double[] elapsed = {-1};
        await().atMost(Duration.ofSeconds(120)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                .ignoreExceptions().until(() -> {
                    List<String> running = ch.query(sql).lines().toList(); // one batch in flight: one INSERT
                    if (running.isEmpty()) {
                        return false;
                    }
                    String[] f = running.get(0).split("\t");
                    seen.add(f[0]);
                    elapsed[0] = Double.parseDouble(f[1]);
                    return seen.size() > skip;
                });
        return elapsed[0];
    }
}
