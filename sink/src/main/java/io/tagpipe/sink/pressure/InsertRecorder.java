package io.tagpipe.sink.pressure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the insert path tells the headroom monitor, thread-safe: the insert threads report each
 * INSERT's start and end (two may run at once: the top lane has its own insert slot), the consumer
 * thread the Kafka timestamp of the oldest record it holds unacknowledged, and the monitor drains
 * one period's worth with {@link #drain()}.
 */
public final class InsertRecorder {
    /** One period of the insert path. */
    public record Period(long maxLatencyMs, int failures, long backlogAgeMs, boolean unreachable) {
    }

    private static final long NONE = Long.MAX_VALUE;
    private final Clock clock;
    private long maxLatencyMs;
    private int failures;
    private boolean unreachable;
    /** Start times of the INSERTs running now. */
    private final List<Long> running = new ArrayList<>(2);
    private volatile long oldestHeldTs = NONE;
    /** Rows per second of recent successful INSERTs (an exponential average); 0 until one was measured. */
    private volatile double rowsPerSecond;

    public InsertRecorder(Clock clock) {
        this.clock = clock;
    }

    /** An INSERT starts; returns its start time for {@link #finished}. */
    public synchronized long started() {
        long now = clock.millis();
        running.add(now);
        return now;
    }

    /** The INSERT that started at {@code startMs} ended; {@code databaseFailed} when the database (not the data) was at fault. */
    public synchronized void finished(long startMs, boolean databaseFailed) {
        finished(startMs, databaseFailed, false);
    }

    /**
     * As {@link #finished(long, boolean)}; {@code unreachable} when the server refused the connection: that is an
     * outage, not a failure of a server under load, and is reported apart ({@link Period#unreachable()}).
     */
    public synchronized void finished(long startMs, boolean databaseFailed, boolean unreachable) {
        maxLatencyMs = Math.max(maxLatencyMs, clock.millis() - startMs);
        if (unreachable) {
            this.unreachable = true;
        } else if (databaseFailed) {
            failures++;
        }
        running.remove(Long.valueOf(startMs));
    }

    /** An INSERT of {@code rows} rows that started at {@code startMs} succeeded: as {@link #finished}, and its pace is measured. */
    public synchronized void succeeded(long startMs, int rows) {
        succeeded(startMs, rows, true);
    }

    /**
     * As {@link #succeeded(long, int)}; with {@code paced} false the pace is not measured: the top lane's own
     * small INSERTs cost mostly the per-INSERT overhead, and their rows per second would shrink the row cap of
     * every other batch.
     */
    public synchronized void succeeded(long startMs, int rows, boolean paced) {
        long ms = Math.max(1, clock.millis() - startMs);
        finished(startMs, false);
        if (!paced) {
            return;
        }
        double pace = rows * 1000.0 / ms;
        rowsPerSecond = rowsPerSecond == 0 ? pace : 0.7 * rowsPerSecond + 0.3 * pace;
    }

    /**
     * How many rows a batch may hold so that its INSERT takes about {@code targetMs} at the recent pace: under
     * load a full batch would hold the insert slot for long (and a critical record waits behind it, lanes or
     * not). {@code maxRows} before any insert was measured, when {@code targetMs} is 0 (off), and whenever
     * ClickHouse is fast enough; never below {@code floorRows}.
     */
    public int rowCap(int maxRows, long targetMs, int floorRows) {
        double pace = rowsPerSecond;
        if (targetMs <= 0 || pace <= 0) {
            return maxRows;
        }
        long cap = (long) (pace * targetMs / 1000.0);
        return (int) Math.max(Math.min(floorRows, maxRows), Math.min(maxRows, cap));
    }

    /** The oldest Kafka timestamp among records polled and not yet acknowledged; {@code Long.MAX_VALUE} for none. */
    public void holding(long oldestTimestampMs) {
        oldestHeldTs = oldestTimestampMs;
    }

    /** This period's slowest insert (a running one counts with its age so far), failures, backlog age; then starts a new period. */
    public synchronized Period drain() {
        long now = clock.millis();
        long latency = maxLatencyMs;
        if (!running.isEmpty()) {
            latency = Math.max(latency, now - Collections.min(running));
        }
        long held = oldestHeldTs;
        Period p = new Period(latency, failures, held == NONE ? 0 : Math.max(0, now - held), unreachable);
        maxLatencyMs = 0;
        failures = 0;
        unreachable = false;
        return p;
    }
}
