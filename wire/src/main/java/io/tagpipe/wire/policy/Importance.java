package io.tagpipe.wire.policy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.tagpipe.wire.Level;

/**
 * How much an application's data matters. Each importance supplies the default of every other
 * policy field; the table is in the module README and must stay in step with it.
 */
public enum Importance {
    //         sample  metrics  min level     retention days
    CRITICAL(1.0, 1.0, Level.TRACE, 90),
    HIGH(1.0, 1.0, Level.TRACE, 30),
    NORMAL(1.0, 1.0, Level.TRACE, 14),
    LOW(0.1, 1.0, Level.INFO, 7),
    /** Everything of the app is dropped (reason {@code policy_drop}); no other field may be set. */
    DROP(0.0, 0.0, Level.FATAL, 1);

    /** Levels that are never sampled out or rate limited unless the policy says otherwise. */
    public static final Set<Level> DEFAULT_ALWAYS_KEEP = Set.of(Level.ERROR, Level.FATAL);

    private final double sampleRate;
    private final double metricsSampleRate;
    private final Level minLevel;
    private final int retentionDays;
    private final String label = name().toLowerCase(Locale.ROOT); // written on every kept record

    Importance(double sampleRate, double metricsSampleRate, Level minLevel, int retentionDays) {
        this.sampleRate = sampleRate;
        this.metricsSampleRate = metricsSampleRate;
        this.minLevel = minLevel;
        this.retentionDays = retentionDays;
    }

    public double sampleRate() {
        return sampleRate;
    }

    public double metricsSampleRate() {
        return metricsSampleRate;
    }

    public Level minLevel() {
        return minLevel;
    }

    public int retentionDays() {
        return retentionDays;
    }

    public Set<Level> alwaysKeepLevels() {
        return this == DROP ? Set.of() : DEFAULT_ALWAYS_KEEP;
    }

    /** The lower-case name used in policy JSON and on kept records. */
    public String label() {
        return label;
    }

    /** Exact (case-insensitive) match of a name; empty for anything else, never a guess. */
    public static Optional<Importance> parse(String s) {
        return Arrays.stream(values()).filter(i -> i.label().equalsIgnoreCase(s == null ? "" : s.strip())).findFirst();
    }
}
