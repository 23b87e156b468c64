package io.tagpipe.sink.pressure;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One period's measurements of the database's headroom. Unknown values are empty, never 0: a
 * server without {@code system.disks} has unknown free disk, not a full disk.
 *
 * @param insertLatencyMs the slowest insert of the period, counting an insert still running as
 *                        (now − its start), so a frozen server shows up before its insert times out; 0 if none ran
 * @param insertFailures  inserts that failed for the database's sake (timeouts, refused connections,
 *                        server errors; not rows ClickHouse rejected as bad data)
 * @param partsRatio      max active parts of one partition ÷ {@code parts_to_delay_insert}
 * @param partsWhere      which table and partition has them, for the reason; empty if unknown
 * @param merges          merges in progress in the sink's database
 * @param freeDiskRatio   lowest free ÷ total space over the server's disks
 * @param backlogAgeMs    now − Kafka timestamp of the oldest record the sink holds and has not yet
 *                        had acknowledged by ClickHouse; 0 when it holds nothing
 * @param probeError      why the system-table probe failed this period, or empty
 * @param unreachable     the server refused connections this period (down or restarting): an outage, which
 *                        Kafka holds, not load; refused inserts are not in {@code insertFailures}
 */
public record Signals(long insertLatencyMs, int insertFailures, OptionalDouble partsRatio, String partsWhere,
                      OptionalInt merges, OptionalDouble freeDiskRatio, long backlogAgeMs, String probeError,
                      boolean unreachable) {

    public Signals {
        partsWhere = partsWhere == null ? "" : partsWhere;
        probeError = probeError == null ? "" : probeError;
    }

    /** Nothing slow, nothing failed, nothing known about parts, merges or disk. */
    public static Signals quiet() {
        return new Signals(0, 0, OptionalDouble.empty(), "", OptionalInt.empty(), OptionalDouble.empty(), 0, "", false);
    }

    public Signals withInsertLatencyMs(long v) {
        return new Signals(v, insertFailures, partsRatio, partsWhere, merges, freeDiskRatio, backlogAgeMs, probeError, unreachable);
    }

    public Signals withInsertFailures(int v) {
        return new Signals(insertLatencyMs, v, partsRatio, partsWhere, merges, freeDiskRatio, backlogAgeMs, probeError, unreachable);
    }

    public Signals withParts(double ratio, String where) {
        return new Signals(insertLatencyMs, insertFailures, OptionalDouble.of(ratio), where, merges, freeDiskRatio,
                backlogAgeMs, probeError, unreachable);
    }

    public Signals withMerges(int v) {
        return new Signals(insertLatencyMs, insertFailures, partsRatio, partsWhere, OptionalInt.of(v), freeDiskRatio,
                backlogAgeMs, probeError, unreachable);
    }

    public Signals withFreeDiskRatio(double v) {
        return new Signals(insertLatencyMs, insertFailures, partsRatio, partsWhere, merges, OptionalDouble.of(v),
                backlogAgeMs, probeError, unreachable);
    }

    public Signals withBacklogAgeMs(long v) {
        return new Signals(insertLatencyMs, insertFailures, partsRatio, partsWhere, merges, freeDiskRatio, v, probeError, unreachable);
    }

    public Signals withUnreachable(boolean v) {
        return new Signals(insertLatencyMs, insertFailures, partsRatio, partsWhere, merges, freeDiskRatio, backlogAgeMs,
                probeError, v);
    }

    public Signals withProbeError(String v) {
        return new Signals(insertLatencyMs, insertFailures, partsRatio, partsWhere, merges, freeDiskRatio, backlogAgeMs, v, unreachable);
    }
}
