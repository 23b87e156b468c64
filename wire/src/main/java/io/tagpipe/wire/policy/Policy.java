package io.tagpipe.wire.policy;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.tagpipe.wire.Level;

/**
 * One application's policy, with every field resolved (explicit value, else the importance's
 * default). Build it with {@link #of(Map)}, which reports every invalid field at once.
 *
 * @param maxRecordsPerSec per-app cap after sampling; {@code null} = no cap
 * @param route            output topic of kept records; {@code null} = the processor's kept topic
 * @param shed             when the app is shed under database pressure (default by importance)
 * @param spec             the explicit fields as given (canonical values): what is written to the
 *                         policy topic, so defaults of an importance stay defaults
 */
public record Policy(
        Importance importance,
        double sampleRate,
        Set<Level> alwaysKeepLevels,
        Level minLevel,
        Double maxRecordsPerSec,
        int retentionDays,
        String route,
        double metricsSampleRate,
        Shed shed,
        Map<String, Object> spec) {

    public static final String IMPORTANCE = "importance";
    public static final String SAMPLE_RATE = "sample_rate";
    public static final String ALWAYS_KEEP_LEVELS = "always_keep_levels";
    public static final String MIN_LEVEL = "min_level";
    public static final String MAX_RECORDS_PER_SEC = "max_records_per_sec";
    public static final String RETENTION_DAYS = "retention_days";
    public static final String ROUTE = "route";
    public static final String METRICS_SAMPLE_RATE = "metrics_sample_rate";
    public static final String SHED = "shed";
    /** Every field a policy may have, in the order they are written. */
    public static final Set<String> FIELDS = Set.of(IMPORTANCE, SAMPLE_RATE, ALWAYS_KEEP_LEVELS, MIN_LEVEL,
            MAX_RECORDS_PER_SEC, RETENTION_DAYS, ROUTE, METRICS_SAMPLE_RATE, SHED);

    public Policy {
        alwaysKeepLevels = alwaysKeepLevels.isEmpty()
                ? Collections.unmodifiableSet(EnumSet.noneOf(Level.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(alwaysKeepLevels));
        spec = Collections.unmodifiableMap(new LinkedHashMap<>(spec));
    }

    /** Validates {@code fields} (JSON/YAML-shaped values) into a policy or throws with every error. */
    public static Policy of(Map<String, ?> fields) throws InvalidPolicyException {
        return PolicyValidator.validate(fields);
    }

    /** The policy of an importance with no explicit field. */
    public static Policy of(Importance importance) {
        return new Policy(importance, importance.sampleRate(), importance.alwaysKeepLevels(), importance.minLevel(),
                null, importance.retentionDays(), null, importance.metricsSampleRate(), Shed.defaultFor(importance),
                Map.of(IMPORTANCE, importance.label()));
    }

    /**
     * What applies when neither the app nor {@code *} has a policy: importance {@code normal}, which
     * keeps everything for 14 days — an unconfigured pipeline never loses data by surprise.
     */
    public static Policy builtInDefault() {
        return of(Importance.NORMAL);
    }

    public boolean hasRateCap() {
        return maxRecordsPerSec != null;
    }

    /** The route, or {@code defaultTopic} when the policy names none. */
    public String routeOr(String defaultTopic) {
        return route == null ? defaultTopic : route;
    }
}
