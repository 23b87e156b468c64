package io.tagpipe.sink.pressure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.tagpipe.wire.Pressure;

/**
 * Thresholds that map each signal to a wanted level, and the hysteresis timing. Immutable; the
 * constructor reports every error at once. {@link #defaults()} documents the shipped values.
 *
 * <p>The backlog age is gated: it raises the level only while a database signal (insert latency,
 * insert failures or active parts) is at its first step or above. Shedding lowers the input but the
 * backlog drains only as fast as ClickHouse takes it; if its age alone could hold the level, a
 * healthy database with an old backlog would keep shedding, which keeps nothing from getting
 * better. Gated, the level falls back once the database is healthy, whatever the backlog.
 *
 * <p>A server that refuses connections ({@link Signals#unreachable()}: down, restarting) is an outage, not
 * load: the sink pauses and Kafka holds the backlog, so a short outage sheds nothing. It opens the backlog-age
 * gate instead, so an outage that outlasts the backlog-age ladder's first step starts shedding by importance.
 *
 * @param probeFailedLevel the level a failed system-table probe wants (ClickHouse not answering
 *                         cheap queries within a period is itself a sign of trouble)
 */
public record PressureRules(Ladder insertLatencyMs, Ladder insertFailures, Ladder partsRatio, Ladder merges,
                            Ladder freeDiskRatio, Ladder backlogAgeMs, int probeFailedLevel,
                            Duration calm, Duration hold) {

    /** What one sample wants: the level, the database-only level, and the signals behind it. */
    public record Wanted(int level, int databaseLevel, List<String> reasons) {
    }

    public PressureRules {
        List<String> errors = new ArrayList<>();
        add(errors, insertLatencyMs.problem("insert latency", Pressure.MAX));
        add(errors, insertFailures.problem("insert failures", Pressure.MAX));
        add(errors, partsRatio.problem("parts ratio", Pressure.MAX));
        add(errors, merges.problem("merges", Pressure.MAX));
        add(errors, freeDiskRatio.problem("free disk ratio", Pressure.MAX));
        add(errors, backlogAgeMs.problem("backlog age", Pressure.MAX));
        if (probeFailedLevel < 0 || probeFailedLevel > Pressure.MAX) {
            errors.add("probe-failed level must be 0.." + Pressure.MAX + ", got " + probeFailedLevel);
        }
        if (calm == null || calm.isNegative() || hold == null || hold.isNegative()) {
            errors.add("calm and hold must be >= 0");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid pressure rules: " + String.join("; ", errors));
        }
    }

    /**
     * The shipped thresholds (sink/README.md explains each). The parts ladder ends below 1.0 because
     * at {@code parts_to_delay_insert} ClickHouse starts delaying inserts itself; shedding should
     * begin well before that.
     */
    public static PressureRules defaults() {
        return new PressureRules(Ladder.rising(2_000, 5_000, 15_000, 30_000), Ladder.rising(1, 2, 4, 8),
                Ladder.rising(0.5, 0.7, 0.85, 0.95), Ladder.rising(16, 32, 64, 128),
                Ladder.falling(0.20, 0.10, 0.05, 0.02), Ladder.rising(60_000, 300_000, 900_000, 1_800_000),
                1, Duration.ofSeconds(30), Duration.ofSeconds(20));
    }

    public PressureRules withTiming(Duration calm, Duration hold) {
        return new PressureRules(insertLatencyMs, insertFailures, partsRatio, merges, freeDiskRatio, backlogAgeMs,
                probeFailedLevel, calm, hold);
    }

    public PressureRules withInsertLatencyMs(Ladder l) {
        return new PressureRules(l, insertFailures, partsRatio, merges, freeDiskRatio, backlogAgeMs,
                probeFailedLevel, calm, hold);
    }

    public PressureRules withBacklogAgeMs(Ladder l) {
        return new PressureRules(insertLatencyMs, insertFailures, partsRatio, merges, freeDiskRatio, l,
                probeFailedLevel, calm, hold);
    }

    /** The level each signal wants, the highest of them, and a reason per signal that wants more than 0. */
    public Wanted evaluate(Signals s) {
        List<String> reasons = new ArrayList<>();
        int latency = step(reasons, insertLatencyMs, s.insertLatencyMs(), "insert latency %s >= %s",
                PressureRules::seconds);
        int failures = step(reasons, insertFailures, s.insertFailures(), "insert failures %s >= %s",
                PressureRules::count);
        int parts = s.partsRatio().isPresent() ? step(reasons, partsRatio, s.partsRatio().getAsDouble(),
                "active parts %s of parts_to_delay_insert >= %s" + (s.partsWhere().isEmpty() ? "" : " in " + s.partsWhere().replace("%", "%%")),
                PressureRules::percent) : 0;
        int database = Math.max(latency, Math.max(failures, parts));
        int level = database;
        if (s.merges().isPresent()) {
            level = Math.max(level, step(reasons, merges, s.merges().getAsInt(), "merges in progress %s >= %s",
                    PressureRules::count));
        }
        if (s.freeDiskRatio().isPresent()) {
            level = Math.max(level, step(reasons, freeDiskRatio, s.freeDiskRatio().getAsDouble(),
                    "free disk %s <= %s", PressureRules::percent));
        }
        if (!s.probeError().isEmpty() && probeFailedLevel > 0 && !s.unreachable()) {
            reasons.add("probe failed: " + s.probeError());
            level = Math.max(level, probeFailedLevel);
        }
        if (database > 0 || s.unreachable()) { // gated: see the class comment
            level = Math.max(level, step(reasons, backlogAgeMs, s.backlogAgeMs(), "backlog age %s >= %s while the "
                    + (database > 0 ? "database is under pressure" : "database is unreachable"), PressureRules::seconds));
        }
        return new Wanted(level, database, reasons);
    }

    private static int step(List<String> reasons, Ladder ladder, double value, String format,
                            java.util.function.DoubleFunction<String> show) {
        int level = ladder.level(value);
        if (level > 0) {
            reasons.add(String.format(Locale.ROOT, format, show.apply(value), show.apply(ladder.step(level))));
        }
        return level;
    }

    private static String seconds(double ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000);
    }

    private static String count(double n) {
        return Long.toString((long) n);
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f %%", ratio * 100);
    }

    private static void add(List<String> errors, String problem) {
        if (problem != null) {
            errors.add(problem);
        }
    }
}
