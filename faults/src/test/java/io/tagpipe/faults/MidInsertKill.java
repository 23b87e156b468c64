package io.tagpipe.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import io.tagpipe.sink.Sql;
import io.tagpipe.testkit.ChildJvm;
import io.tagpipe.testkit.ClickHouseServer;

/**
 * SIGKILL for the sink while one of its INSERTs is in flight, and the proof that it was: ClickHouse
 * is polled until {@code system.processes} shows an INSERT into the pipeline's database; the sink
 * is frozen (SIGSTOP) at once, and if ClickHouse still runs that INSERT after the freeze, the sink
 * cannot have had its acknowledgement — SIGKILL then lands on it frozen in that state. If the
 * INSERT ended in between, the sink is thawed (SIGCONT) and the next one is tried, up to a bound.
 *
 * @param table     the INSERT's table (without the database)
 * @param elapsedMs how long ClickHouse had been running it when it was first seen
 * @param thawed    INSERTs that ended before the freeze could confirm them (sink thawed, tried again)
 */
record MidInsertKill(String queryId, String table, long elapsedMs, int thawed) {

    static MidInsertKill killDuringInsert(ClickHouseServer ch, ChildJvm sink, String db, Duration bound) {
        AtomicInteger thawed = new AtomicInteger();
        MidInsertKill hit = await("an INSERT into " + db + " still running in ClickHouse with the sink frozen")
                .atMost(bound).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                .until(() -> freezeDuringInsert(ch, sink, db, thawed), Objects::nonNull);
        sink.kill9();
        return hit;
    }

    /** The confirmed INSERT with the sink left frozen, or null with the sink running. */
    private static MidInsertKill freezeDuringInsert(ClickHouseServer ch, ChildJvm sink, String db, AtomicInteger thawed) {
        // our own SELECT starts with SELECT, so it never matches itself
        String row = ch.query("SELECT query_id, elapsed, substring(query, 1, 200) FROM system.processes"
                + " WHERE query LIKE 'INSERT INTO %' AND position(query, " + Sql.literal(Sql.ident(db) + ".") + ") > 0"
                + " LIMIT 1").strip();
        if (row.isEmpty()) {
            return null;
        }
        String[] f = row.split("\t", 3);
        signal(sink, "STOP");
        boolean confirmed = false;
        try {
            confirmed = ch.queryLong("SELECT count() FROM system.processes WHERE query_id = " + Sql.literal(f[0])) > 0;
        } finally {
            if (!confirmed) {
                signal(sink, "CONT");
                thawed.incrementAndGet();
            }
        }
        return confirmed ? new MidInsertKill(f[0], tableOf(f[2], db), Math.round(Double.parseDouble(f[1]) * 1000),
                thawed.get()) : null;
    }

    private static String tableOf(String query, String db) {
        String rest = query.substring(query.indexOf(Sql.ident(db) + ".") + Sql.ident(db).length() + 1);
        int end = 0;
        while (end < rest.length() && rest.charAt(end) != ' ' && rest.charAt(end) != '(') {
            end++;
        }
        return rest.substring(0, end).replace("`", "");
    }

    private static void signal(ChildJvm child, String sig) {
        try {
            int exit = new ProcessBuilder("kill", "-" + sig, Long.toString(child.pid())).start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + sig + " " + child.pid() + " exited " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
