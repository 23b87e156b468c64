package io.tagpipe.sink;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces per-app retention on every server version: drops wholly expired partitions, and when an
 * app's retention was shortened deletes its rows older than the new limit. An app's current
 * retention is the {@code retention_days} of its newest row (the processor stamps every kept
 * record with its policy's value), so no policy lookup is needed here.
 *
 * <p>On a cluster every {@code ALTER} runs {@code ON CLUSTER} on the local tables, rows are counted
 * through the Distributed tables, and partitions and mutations are read from every replica.
 */
public final class RetentionJob {
    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    /** What one run did. */
    public record Result(List<String> droppedPartitions, List<String> deletions) {
    }

    private final ClickHouseStore store;
    private final Clock clock;

    public RetentionJob(ClickHouseStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Result runOnce() throws Exception {
        List<String> dropped = new ArrayList<>();
        List<String> deletions = new ArrayList<>();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        for (Table t : Table.values()) {
            for (RetentionPlan.PartitionKey p : RetentionPlan.expired(partitions(t), today)) {
                store.execute("ALTER TABLE " + store.alterTarget(t) + " DROP PARTITION " + p.sql());
                dropped.add(t.tableName() + " " + p.sql());
            }
        }
        for (Table t : List.of(Table.LOGS, Table.METRICS)) {
            deletions.addAll(deleteShortened(t));
        }
        if (!dropped.isEmpty() || !deletions.isEmpty()) {
            log.info("retention: dropped partitions {}, deletions {}", dropped, deletions);
        }
        return new Result(dropped, deletions);
    }

    /**
     * Deletes every row of {@code app} in every table and waits up to {@code wait} until no server
     * holds one (a replicated table takes its mutations from ZooKeeper in the background: they are
     * not yet listed in {@code system.mutations} when the ALTER returns). The label is a SQL
     * literal, never syntax.
     */
    public long purge(String app, Duration wait) throws Exception {
        long rows = 0;
        List<String> left = new ArrayList<>(List.of("SELECT count() FROM " + store.everyReplica("system", "mutations")
                + " WHERE database = " + Sql.literal(store.database()) + " AND is_done = 0"));
        for (Table t : Table.values()) {
            rows += Long.parseLong(store.queryText("SELECT count() FROM " + table(t) + " WHERE app = "
                    + Sql.literal(app)).strip());
            store.execute("ALTER TABLE " + store.alterTarget(t) + " DELETE WHERE app = " + Sql.literal(app));
            left.add("SELECT count() FROM " + store.everyReplica(store.database(), store.localName(t))
                    + " WHERE app = " + Sql.literal(app));
        }
        await(wait, left);
        return rows;
    }

    private List<String> deleteShortened(Table t) throws Exception {
        List<String> done = new ArrayList<>();
        String sql = "SELECT app, argMax(retention_days, ts) AS cur, max(retention_days) AS longest FROM "
                + table(t) + " GROUP BY app HAVING longest > cur";
        for (String[] r : store.queryRows(sql)) {
            String app = r[0];
            long cutoff = RetentionPlan.cutoffSeconds(Integer.parseInt(r[1]), clock.millis());
            String where = "app = " + Sql.literal(app) + " AND ts < toDateTime(" + cutoff + ")";
            long expired = Long.parseLong(store.queryText("SELECT count() FROM " + table(t) + " WHERE " + where
                    + " AND retention_days > " + Integer.parseInt(r[1])).strip());
            if (expired > 0) {
                store.execute("ALTER TABLE " + store.alterTarget(t) + " DELETE WHERE " + where);
                done.add(t.tableName() + " app=" + app + " before " + cutoff + " (" + expired + " rows)");
            }
        }
        return done;
    }

    private List<RetentionPlan.PartitionKey> partitions(Table t) throws Exception {
        List<RetentionPlan.PartitionKey> keys = new ArrayList<>();
        for (String[] r : store.queryRows("SELECT DISTINCT partition FROM " + store.everyReplica("system", "parts")
                + " WHERE database = " + Sql.literal(store.database()) + " AND table = " + Sql.literal(store.localName(t))
                + " AND active")) {
            RetentionPlan.parse(r[0]).ifPresent(keys::add);
        }
        return keys;
    }

    /**
     * Until every count is 0, or {@code wait} passed (a warning). The ALTERs were sent: a count that
     * fails (a server of the cluster just restarted, a pooled connection to it gone) is asked again.
     */
    private void await(Duration wait, List<String> counts) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        Exception last = null;
        while (true) {
            long left = 0;
            try {
                for (String sql : counts) {
                    left += Long.parseLong(store.queryText(sql).strip());
                }
                if (left == 0) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                log.warn("mutations still running after {}; they finish in the background{}", wait,
                        last == null ? "" : " (last check failed: " + last.getMessage() + ")");
                return;
            }
            Thread.sleep(200);
        }
    }

    private String table(Table t) {
        return store.table(t);
    }
}
