package io.tagpipe.cli.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tagpipe.sink.Layout;

/**
 * The SQL of the per-app report, for the two schema dialects the sink writes (legacy 18.16 and
 * current): only columns both have ({@code ts_ms}, {@code retention_days}, {@code sample_rate} …).
 * Pure: the cut-off time is computed from the {@code now} given. On a cluster ({@link #onCluster})
 * the rows are read through the sink's Distributed tables (every shard), the parts of the local
 * tables through {@code cluster()} (one replica per shard: the bytes of one copy).
 */
public record ReportQuery(String database, Optional<Instant> since, Optional<String> app, Optional<String> cluster) {
    private static final Pattern SINCE = Pattern.compile("(\\d+)\\s*([smhdw])");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public ReportQuery(String database, Optional<Instant> since, Optional<String> app) {
        this(database, since, app, Optional.empty());
    }

    public ReportQuery {
        if (!IDENTIFIER.matcher(database).matches()) {
            throw new ReportException("--database must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*), got '" + database + "'");
        }
    }

    public static ReportQuery of(String database, String since, String app, Instant now) {
        Optional<Instant> cut = since == null || since.isBlank() ? Optional.empty() : Optional.of(now.minus(parseSince(since)));
        return new ReportQuery(database, cut, Optional.ofNullable(app).filter(a -> !a.isBlank()));
    }

    /** The same report over the sink's tables on cluster {@code name} (null or blank: one server). */
    public ReportQuery onCluster(String name) {
        return new ReportQuery(database, since, app, Optional.ofNullable(name).filter(n -> !n.isBlank()));
    }

    /** {@code 90s}, {@code 15m}, {@code 1h}, {@code 2d}, {@code 1w}. */
    public static Duration parseSince(String text) {
        Matcher m = SINCE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ReportException("--since must be a number and a unit (s, m, h, d, w), e.g. 1h or 2d; got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    /** Counts per app and reason: {@code app, reason, n}. */
    public String statsSql() {
        return "SELECT app, reason, sum(count) AS n FROM " + table("ingest_stats") + where() + " GROUP BY app, reason";
    }

    /** Stored rows per app and partition across logs and metrics. */
    public String storedSql() {
        String cols = "app, app_source, importance, retention_days, sample_rate, ts_ms, "
                + "concat(toString(retention_days), '-', toString(toYYYYMMDD(ts))) AS partition_id";
        return "SELECT app, tbl, partition_id, any(app_source), argMax(importance, ts_ms), argMax(retention_days, ts_ms), "
                + "count(), sum(1 / sample_rate), max(ts_ms) FROM ("
                + "SELECT 'logs' AS tbl, " + cols + " FROM " + table("logs") + where()
                + " UNION ALL SELECT 'metrics' AS tbl, " + cols + " FROM " + table("metrics") + where()
                + ") GROUP BY app, tbl, partition_id";
    }

    /** Rows and bytes of the active parts, per table and partition. */
    public String partsSql() {
        if (cluster.isPresent()) {
            String suffix = Layout.LOCAL_SUFFIX;
            return "SELECT replaceRegexpOne(table, '" + suffix + "$', '') AS tbl, partition_id, sum(rows), sum(bytes_on_disk) "
                    + "FROM cluster(" + quote(cluster.get()) + ", 'system', 'parts') WHERE active AND database = "
                    + quote(database) + " AND table IN ('logs" + suffix + "', 'metrics" + suffix + "') GROUP BY tbl, partition_id";
        }
        return "SELECT table, partition_id, sum(rows), sum(bytes_on_disk) FROM system.parts WHERE active AND database = "
                + quote(database) + " AND table IN ('logs', 'metrics') GROUP BY table, partition_id";
    }

    private String table(String name) {
        return "`" + database + "`.`" + name + "`";
    }

    private String where() {
        StringBuilder w = new StringBuilder(" WHERE 1");
        since.ifPresent(s -> w.append(" AND ts_ms >= ").append(s.toEpochMilli()));
        app.ifPresent(a -> w.append(" AND app = ").append(quote(a)));
        return w.toString();
    }

    /** A ClickHouse string literal: backslash and quote escaped, so any app text is data, never SQL. */
    public static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
