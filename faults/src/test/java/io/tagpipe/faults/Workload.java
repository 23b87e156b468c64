package io.tagpipe.faults;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;

/**
 * The fault workload: five apps with known policies (sampling below 1, {@code min_level},
 * always-keep levels, a ts-driven rate cap, metric sampling, an app left to {@code *}) and
 * deterministic ids, so the surviving set is computable with {@code Decider} + {@code TokenBucket}.
 */
final class Workload {
    static final String[] APPS = {"web", "pay", "api", "batch", "cron"};
    private static final String[] LEVELS = {"DEBUG", "INFO", "INFO", "INFO", "WARN", "ERROR"};

    private final String run;
    private final long baseTs;

    Workload(String run, long baseTs) {
        this.run = run;
        this.baseTs = baseTs;
    }

    /** One of each kind of rule; {@code cron} has no policy of its own and gets {@code *}. */
    static Map<String, Policy> policies() {
        try {
            Map<String, Policy> p = new LinkedHashMap<>();
            p.put("*", Policy.of(Map.of("sample_rate", 0.5)));
            p.put("web", Policy.of(Map.of("importance", "low", "sample_rate", 0.3, "min_level", "INFO",
                    "always_keep_levels", List.of("ERROR", "WARN"))));
            p.put("pay", Policy.of(Map.of("importance", "critical")));
            // records of one app are 5 ms apart in ts (200/s): a 150/s cap drops about a quarter. Never shed: a shed
            // record takes no rate token, so under pressure the cap keeps later records the level-0 prediction
            // (which cannot know the level over time) caps; a slow-ClickHouse fault would then store ids outside it
            p.put("api", Policy.of(Map.of("max_records_per_sec", 150.0, "shed", "never")));
            p.put("batch", Policy.of(Map.of("sample_rate", 0.2, "metrics_sample_rate", 0.5)));
            return p;
        } catch (InvalidPolicyException e) {
            throw new IllegalStateException(e);
        }
    }

    String app(int i) {
        return APPS[i % APPS.length];
    }

    /** Record {@code i}: a log, or every 7th a metric; a third carry a trace id shared by 10 records. */
    Envelope envelope(int i) {
        String id = run + "-" + i;
        long ts = baseTs + i;
        if (i % 7 == 3) {
            return Envelope.metric(id, app(i), ts).host("h1").type("gauge").name("queue.depth")
                    .value((double) (i % 100)).attrs(Map.of("shard", Integer.toString(i % 4))).build();
        }
        return Envelope.log(id, app(i), ts).host("h1").level(LEVELS[i % LEVELS.length]).logger("com.acme.Svc")
                .thread("main").traceId(i % 3 == 0 ? run + "-trace-" + (i / 30) : null)
                .message("message " + i).attrs(Map.of("seq", Integer.toString(i))).build();
    }
}
