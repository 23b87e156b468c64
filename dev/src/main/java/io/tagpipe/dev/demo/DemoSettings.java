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
 */
public record DemoSettings(Path home, Path workDir, Duration duration, boolean clean, boolean keepRunning,
                           Optional<String> clickhouseUrl, LocalClickHouse localClickhouse, String clickhouseUser, String clickhousePassword,
                           String database, boolean python, Duration policyChangeAt, Duration progressEvery) {
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
        if (policyChangeAt.compareTo(duration) >= 0) {
            throw new IllegalArgumentException("the policy change must happen before the apps stop");
        }
    }
}
