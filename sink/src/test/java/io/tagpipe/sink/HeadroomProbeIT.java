package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.tagpipe.sink.pressure.HeadroomProbe;
import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.EachClickHouse;
import io.tagpipe.testkit.RealServices;

/** The probe's system-table queries on each real ClickHouse: 18.16 and the 26.7 engine. */
class HeadroomProbeIT {

    @EachClickHouse
    void probesPartsAndMergesOfTheSinksDatabase(ClickHouse ch) throws Exception {
        String db = RealServices.unique("probe");
        try (ClickHouseStore store = new ClickHouseStore(ch.url(), "default", "", db, Duration.ofSeconds(30))) {
            store.ensureSchema();
            for (int i = 0; i < 3; i++) { // three inserts into one partition: three active parts
                store.execute("INSERT INTO " + db + ".ingest_stats (ts, ts_ms, app, kind, level, reason, count, "
                        + "retention_days, kafka_topic, kafka_partition, kafka_offset) SELECT toStartOfDay(now()), 0, 'a', "
                        + "'log', 'INFO', 'sampled', 1, 30, 't', 0, " + i);
            }
            long parts = ch.queryLong("SELECT max(c) FROM (SELECT count() c FROM system.parts WHERE active AND database = '"
                    + db + "' GROUP BY table, partition)");
            boolean hasSetting = ch.queryLong("SELECT count() FROM system.tables WHERE database = 'system' "
                    + "AND name = 'merge_tree_settings'") == 1;
            boolean hasDisks = ch.queryLong("SELECT count() FROM system.tables WHERE database = 'system' AND name = 'disks'") == 1;
            long delayAt = hasSetting ? ch.queryLong("SELECT toUInt64(value) FROM system.merge_tree_settings "
                    + "WHERE name = 'parts_to_delay_insert'") : HeadroomProbe.DEFAULT_PARTS_TO_DELAY_INSERT;
            System.out.printf("%s: merge_tree_settings %s (parts_to_delay_insert %d), system.disks %s, parts %d%n",
                    ch.name(), hasSetting, delayAt, hasDisks, parts);

            HeadroomProbe.Probed p = new HeadroomProbe(store::queryRows, db).probe();

            assertThat(p.error()).isEmpty();
            assertThat(parts).isPositive();
            // a background merge may only lower the count between the two reads
            assertThat(p.partsRatio().getAsDouble()).isBetween(1.0 / delayAt, (double) parts / delayAt);
            assertThat(p.partsWhere()).startsWith("ingest_stats ");
            assertThat(p.merges()).isPresent();
            assertThat(p.freeDiskRatio().isPresent()).isEqualTo(hasDisks);
            p.freeDiskRatio().ifPresent(r -> assertThat(r).isBetween(0.0, 1.0));
        }
    }
}
