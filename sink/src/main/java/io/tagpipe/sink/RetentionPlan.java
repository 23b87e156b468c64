package io.tagpipe.sink;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pure retention decisions: which partitions are wholly expired, where an app's rows now end. */
public final class RetentionPlan {
    private static final Pattern PARTITION = Pattern.compile("\\(\\s*(\\d+)\\s*,\\s*(\\d{8})\\s*\\)");

    /** A partition of {@code PARTITION BY (retention_days, toYYYYMMDD(ts))}. */
    public record PartitionKey(int retentionDays, LocalDate day) {
        /** SQL form, built from numbers only: {@code (30, 20261126)}. */
        public String sql() {
            return "(" + retentionDays + ", " + day.format(DateTimeFormatter.BASIC_ISO_DATE) + ")";
        }
    }

    private RetentionPlan() {
    }

    /** {@code system.parts.partition} text such as {@code (30,20261126)}; empty if not of that shape. */
    public static Optional<PartitionKey> parse(String partition) {
        Matcher m = PARTITION.matcher(partition.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PartitionKey(Integer.parseInt(m.group(1)),
                    LocalDate.parse(m.group(2), DateTimeFormatter.BASIC_ISO_DATE)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Partitions whose every row is past its retention. One spare day covers the server's time
     * zone (toYYYYMMDD uses it): a partition may live up to a day longer, never a day shorter.
     */
    public static List<PartitionKey> expired(Collection<PartitionKey> partitions, LocalDate todayUtc) {
        return partitions.stream()
                .filter(p -> p.day().plusDays(p.retentionDays() + 1L).isBefore(todayUtc))
                .sorted(java.util.Comparator.comparing(PartitionKey::day))
                .toList();
    }

    /** Rows of an app stored before this epoch second are past its current retention. */
    public static long cutoffSeconds(int currentRetentionDays, long nowMillis) {
        return Math.floorDiv(nowMillis, 1000L) - currentRetentionDays * 86_400L;
    }
}
