package io.tagpipe.dev.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What one demo run does.
 *
 * @param home            the repository checkout (sample apps, Python collector)
 * @param workDir         broker and ClickHouse data, app logs, the HTML report
 * @param clickhouseUrl   an existing server; empty = start a local ClickHouse of kind {@code localClickhouse}
 * @param policyChangeAt  when, after the apps started, one app's policy is changed
 * @param progressEvery   how often a progress line is printed
 * @param overload        how long the overload phase floods a CPU-starved local ClickHouse; zero = no such phase
 * @param overloadRate    records/s of that flood
 * @param cluster         a local ClickHouse cluster (ZooKeeper + clickhouse-servers) instead of one server; the
 *                        sink writes in its cluster layout
 */
public record DemoSettings(Path home, Path workDir, Duration duration, boolean clean, boolean keepRunning,
                           Optional<String> clickhouseUrl, LocalClickHouse localClickhouse, String clickhouseUser, String clickhousePassword,
                           String database, boolean python, Duration policyChangeAt, Duration progressEvery,
                           Duration overload, int overloadRate, Optional<ClusterShape> cluster) {
    /** Which ClickHouse the demo starts when no {@code --clickhouse-url} is given. */
    public enum LocalClickHouse {
        /** Debian's {@code clickhouse-server} (18.16 here), legacy dialect. */
        LEGACY,
        /** ClickHouse 26.7 as an engine (chDB) behind testkit's loopback HTTP front, current dialect. */
        CURRENT
    }

    public DemoSettings {
        if (duration.toSeconds() < 10) {
            throw new IllegalArgumentException("--duration must be at least 10 seconds, got " + duration.toSeconds());
        }
        if (overload.isNegative() || (!overload.isZero() && overload.toSeconds() < 10)) {
            throw new IllegalArgumentException("--overload must be 0 (no overload phase) or at least 10 seconds, got "
                    + overload.toSeconds());
        }
        if (overloadRate < 100 || overloadRate > 100_000) {
            throw new IllegalArgumentException("--overload-rate must be 100..100000 records/s, got " + overloadRate);
        }
        if (policyChangeAt.compareTo(duration) >= 0) {
            throw new IllegalArgumentException("the policy change must happen before the apps stop");
        }
    }
}
