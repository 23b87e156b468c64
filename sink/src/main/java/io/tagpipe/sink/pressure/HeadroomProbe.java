package io.tagpipe.sink.pressure;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import io.tagpipe.sink.ErrorClass;
import io.tagpipe.sink.Sql;

/**
 * Reads the database-side signals from ClickHouse's system tables, a few cheap queries per period:
 * the most active parts of one partition in the sink's database against the server's
 * {@code parts_to_delay_insert}, merges in progress there, and free disk where the server reports
 * it. A query that fails becomes {@link Probed#error()}, never an exception for the caller.
 *
 * <p>{@code system.merge_tree_settings} and {@code system.disks} are looked up once in
 * {@code system.tables}: a server without {@code system.disks} (18.16) has unknown free disk; one
 * without {@code system.merge_tree_settings} uses {@link #DEFAULT_PARTS_TO_DELAY_INSERT}, the
 * lowest default any release shipped, so the ratio errs high. A per-table
 * {@code SETTINGS parts_to_delay_insert} is not read (the sink creates its tables without one).
 */
public final class HeadroomProbe {
    /** What one probe found; unknown values are empty. */
    public record Probed(OptionalDouble partsRatio, String partsWhere, OptionalInt merges,
                         OptionalDouble freeDiskRatio, String error, boolean unreachable) {
    }

    /** Runs a query and returns its TabSeparated rows (ClickHouseStore::queryRows in production). */
    @FunctionalInterface
    public interface Query {
        List<String[]> rows(String sql) throws Exception;
    }

    public static final long DEFAULT_PARTS_TO_DELAY_INSERT = 150;

    private final Query query;
    private final String database;
    private Boolean hasDisks;
    private Boolean hasMergeTreeSettings;

    public HeadroomProbe(Query query, String database) {
        this.query = query;
        this.database = database;
    }

    public Probed probe() {
        try {
            if (hasDisks == null) {
                List<String> system = query.rows("SELECT name FROM system.tables WHERE database = 'system' "
                        + "AND name IN ('disks', 'merge_tree_settings')").stream().map(r -> r[0]).toList();
                hasDisks = system.contains("disks");
                hasMergeTreeSettings = system.contains("merge_tree_settings");
            }
            String db = Sql.literal(database);
            List<String[]> top = query.rows("SELECT table, partition, count() AS c FROM system.parts WHERE active "
                    + "AND database = " + db + " GROUP BY table, partition ORDER BY c DESC LIMIT 1");
            long delayAt = partsToDelayInsert();
            double ratio = top.isEmpty() ? 0 : Double.parseDouble(top.get(0)[2]) / delayAt;
            String where = top.isEmpty() ? "" : top.get(0)[0] + " " + top.get(0)[1] + " (" + top.get(0)[2] + "/" + delayAt + ")";
            int merges = Integer.parseInt(query.rows("SELECT count() FROM system.merges WHERE database = " + db).get(0)[0]);
            return new Probed(OptionalDouble.of(ratio), where, OptionalInt.of(merges), freeDisk(), "", false);
        } catch (Exception e) {
            return new Probed(OptionalDouble.empty(), "", OptionalInt.empty(), OptionalDouble.empty(), describe(e),
                    ErrorClass.unreachable(e));
        }
    }

    /** First line of the message, and of the root cause's when it differs (the client wraps timeouts). */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = firstLine(e);
        return root == e || firstLine(root).equals(m) ? m : m + ": " + firstLine(root);
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private long partsToDelayInsert() throws Exception {
        if (!hasMergeTreeSettings) {
            return DEFAULT_PARTS_TO_DELAY_INSERT;
        }
        List<String[]> rows = query.rows("SELECT value FROM system.merge_tree_settings WHERE name = 'parts_to_delay_insert'");
        long v = rows.isEmpty() ? 0 : Long.parseLong(rows.get(0)[0]);
        return v > 0 ? v : DEFAULT_PARTS_TO_DELAY_INSERT;
    }

    /** The lowest free share over the disks that report a size (min() over no rows would read as 0, a full disk). */
    private OptionalDouble freeDisk() throws Exception {
        if (!hasDisks) {
            return OptionalDouble.empty();
        }
        OptionalDouble lowest = OptionalDouble.empty();
        for (String[] r : query.rows("SELECT free_space, total_space FROM system.disks")) {
            double total = Double.parseDouble(r[1]);
            if (total > 0) {
                double free = Double.parseDouble(r[0]) / total;
                lowest = OptionalDouble.of(lowest.isPresent() ? Math.min(lowest.getAsDouble(), free) : free);
            }
        }
        return lowest;
    }
}
