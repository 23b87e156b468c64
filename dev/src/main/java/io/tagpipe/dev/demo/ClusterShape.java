package io.tagpipe.dev.demo;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local ClickHouse cluster {@code tagpipe demo --cluster SHARDSxREPLICAS} starts: each server is
 * a clickhouse-server process on this machine, so the counts stay small.
 */
public record ClusterShape(int shards, int replicas) {
    /** Most shards, and most replicas per shard, the demo starts on one machine. */
    public static final int MAX = 4;
    /** The cluster's name in the servers' {@code remote_servers}: what the sink's {@code ON CLUSTER} names. */
    public static final String NAME = "tagpipe_demo";
    private static final Pattern FORM = Pattern.compile("(\\d{1,3})[xX](\\d{1,3})");

    public ClusterShape {
        if (shards < 1 || shards > MAX || replicas < 1 || replicas > MAX) {
            throw new IllegalArgumentException("--cluster needs 1.." + MAX + " shards and 1.." + MAX
                    + " replicas per shard, got " + shards + "x" + replicas);
        }
    }

    /** {@code 2x1} (2 shards of 1 replica), {@code 1x2}, {@code 2x2}; anything else is a usage error. */
    public static ClusterShape parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--cluster must be SHARDSxREPLICAS, e.g. 2x1 or 1x2, not '" + text + "'");
        }
        return new ClusterShape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    public int servers() {
        return shards * replicas;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d shard%s x %d replica%s", shards, shards == 1 ? "" : "s", replicas,
                replicas == 1 ? "" : "s");
    }
}
