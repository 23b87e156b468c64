package io.tagpipe.admin.ops;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the {@code app} label of metrics: the first {@code max} distinct apps seen keep their
 * name, every later one is reported as {@link #OTHER}. A series once exported never changes its
 * label, so counters stay monotonic; the number of series stays (apps ≤ max + 1) × reasons, however
 * many apps write. Thread-safe.
 */
public final class AppLabels {
    public static final String OTHER = "other";
    public static final int DEFAULT_MAX = 20;

    private final int max;
    private final Set<String> named = ConcurrentHashMap.newKeySet();

    public AppLabels(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("the number of app labels must be >= 0, got " + max);
        }
        this.max = max;
    }

    /** The label {@code app} is counted under. */
    public String of(String app) {
        if (named.contains(app)) {
            return app;
        }
        synchronized (this) {
            if (named.size() < max) {
                named.add(app);
                return app;
            }
        }
        return OTHER;
    }
}
