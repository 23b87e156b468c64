package io.tagpipe.sink;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.function.ToLongFunction;

/**
 * How every table is partitioned, once: the {@code PARTITION BY} of the DDL and the same rule in
 * Java, computed from the very values written into the {@code retention_days} and {@code ts}
 * columns (the columns are built from {@link #RETENTION_DAYS} and {@link #STORED_TS}). The sink
 * groups each insert by this key, so one INSERT never spans more partitions than ClickHouse allows
 * ({@code max_partitions_per_insert_block}).
 *
 * <p>{@code toYYYYMMDD(ts)} takes the day in the time zone the server evaluates it in (its own, or
 * the session's where {@code session_timezone} exists), so an instance is built with the zone the
 * server reported to the sink's own session. A key packs both parts into one long: retention days
 * in the high half, {@code yyyymmdd} in the low half. Not thread-safe (it caches the last day).
 */
final class Partitioning {
    static final String RETENTION_COLUMN = "retention_days";
    static final String TS_COLUMN = "ts";
    static final String PARTITION_BY = "(" + RETENTION_COLUMN + ", toYYYYMMDD(" + TS_COLUMN + "))";
    /** The value of {@code ts}: the clamped storage time, epoch millis. */
    static final ToLongFunction<Row> STORED_TS = Row::storedTs;
    /** The value of {@code retention_days} (a UInt16 column). */
    static final ToLongFunction<Row> RETENTION_DAYS = Row::retentionDays;

    private final ZoneId zone;
    private long dayStartSecond = 1;
    private long dayEndSecond = 0;
    private int dayYyyymmdd;

    Partitioning(ZoneId zone) {
        this.zone = zone;
    }

    long keyOf(Row row) {
        return key(RETENTION_DAYS.applyAsLong(row), STORED_TS.applyAsLong(row));
    }

    /**
     * The partition of a row with these column values. Legacy {@code DateTime} stores whole seconds
     * and {@code DateTime64(3)} millis; the day is that of the second either way.
     */
    long key(long retentionDays, long storedTsMillis) {
        long second = Math.floorDiv(storedTsMillis, 1000L);
        if (second < dayStartSecond || second >= dayEndSecond) {
            LocalDate day = LocalDate.ofInstant(Instant.ofEpochSecond(second), zone);
            dayStartSecond = day.atStartOfDay(zone).toEpochSecond();
            dayEndSecond = day.plusDays(1).atStartOfDay(zone).toEpochSecond();
            dayYyyymmdd = day.getYear() * 10_000 + day.getMonthValue() * 100 + day.getDayOfMonth();
        }
        return (retentionDays & 0xFFFF) << 32 | dayYyyymmdd;
    }

    /** A key as ClickHouse writes the partition, e.g. {@code (30, 20261126)}. */
    static String sql(long key) {
        return "(" + (key >>> 32) + ", " + (key & 0xFFFF_FFFFL) + ")";
    }
}
