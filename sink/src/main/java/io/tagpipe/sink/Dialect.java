package io.tagpipe.sink;

/**
 * The two schema dialects the sink speaks, chosen once from {@code SELECT version()}.
 *
 * <p>{@link #CURRENT} (22.3 and later) has DateTime64, LowCardinality, Map and TTL;
 * {@link #LEGACY} (older servers such as Debian's 18.16) gets plain types and relies on the
 * retention job alone.
 */
public enum Dialect {
    CURRENT,
    LEGACY;

    /** {@code "22.3.1.1"} → CURRENT, {@code "18.16.1"} → LEGACY; unparseable versions are an error. */
    public static Dialect forVersion(String version) {
        String[] parts = version == null ? new String[0] : version.trim().split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("cannot read ClickHouse version '" + version + "'");
        }
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(parts[1]);
            return major > 22 || (major == 22 && minor >= 3) ? CURRENT : LEGACY;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read ClickHouse version '" + version + "'", e);
        }
    }
}
