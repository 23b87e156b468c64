package io.tagpipe.dev.demo;

import java.util.List;

/**
 * The policies the demo starts with, and the change it makes midway — as the {@code tagpipe policy}
 * command lines an operator would type, so the demo goes through exactly the CLI's code path.
 */
final class DemoPolicies {
    /** The app whose policy changes midway. */
    static final String CHANGED_APP = "billing-worker";

    private DemoPolicies() {
    }

    /** {@code policy apply FILE} content: one app per importance, and the noisy one capped. */
    static String initialYaml() {
        return """
                # written by tagpipe demo; applied with: tagpipe policy apply <this file>
                "*":            {importance: normal}
                billing-api:    {importance: critical}
                billing-worker: {importance: high}
                # noisy: DEBUG dropped (min_level), the rest capped at 50 records/s (rate_limit)
                search-indexer: {importance: low, sample_rate: 1.0, min_level: INFO, max_records_per_sec: 50}
                nightly-report: {importance: normal, retention_days: 14}
                """;
    }

    /** Midway: billing-worker becomes {@code low} (DEBUG below min_level, 10 % of the rest sampled, 7 days). */
    static List<String> changeArgs() {
        return List.of("policy", "set", CHANGED_APP, "--importance", "low");
    }
}
