package io.tagpipe.bench.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Equality after the window: every record the producers delivered to Kafka is stored exactly once.
 * Ids are unique per record (the sender makes them), so per app: rows = distinct ids (nothing twice)
 * and distinct ids = records delivered (nothing missing; the topic holds nothing else).
 */
public record StoredOnce(List<String> problems, long delivered, long stored) {
    /** What ClickHouse holds for one app. */
    public record Stored(long rows, long distinctIds) {
    }

    public StoredOnce {
        problems = List.copyOf(problems);
    }

    /** {@code delivered}: app → records its sender delivered (sent − dropped); {@code stored}: app → rows and distinct ids. */
    public static StoredOnce check(Map<String, Long> delivered, Map<String, Stored> stored) {
        List<String> problems = new ArrayList<>();
        for (String app : new TreeSet<>(union(delivered, stored))) {
            long want = delivered.getOrDefault(app, 0L);
            Stored s = stored.getOrDefault(app, new Stored(0, 0));
            if (!delivered.containsKey(app)) {
                problems.add(app + ": " + s.rows() + " rows of an app no producer ran");
                continue;
            }
            if (s.rows() > s.distinctIds()) {
                problems.add(app + ": " + (s.rows() - s.distinctIds()) + " duplicate rows");
            }
            if (s.distinctIds() < want) {
                problems.add(app + ": " + (want - s.distinctIds()) + " of " + want + " records missing");
            } else if (s.distinctIds() > want) {
                problems.add(app + ": " + (s.distinctIds() - want) + " more ids than the " + want + " records delivered");
            }
        }
        return new StoredOnce(problems, delivered.values().stream().mapToLong(Long::longValue).sum(),
                stored.values().stream().mapToLong(Stored::rows).sum());
    }

    /** Parses {@code app \t rows \t distinct ids} lines (TabSeparated). */
    public static Map<String, Stored> parse(String tsv) {
        Map<String, Stored> m = new LinkedHashMap<>();
        for (String line : tsv.split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 3) {
                m.put(f[0], new Stored(Long.parseLong(f[1].trim()), Long.parseLong(f[2].trim())));
            } else if (!line.isBlank()) {
                throw new IllegalArgumentException("expected app, rows, distinct ids: " + line);
            }
        }
        return m;
    }

    public boolean exact() {
        return problems.isEmpty();
    }

    public String summary() {
        return exact() ? "every one of the " + delivered + " records delivered stored exactly once (by id)"
                : "NOT stored exactly once (" + stored + " rows for " + delivered + " records delivered): " + String.join("; ", problems);
    }

    private static List<String> union(Map<String, ?> a, Map<String, ?> b) {
        List<String> keys = new ArrayList<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }
}
