package io.tagpipe.faults;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One row of the fault table: what was sent, what had to survive, what ClickHouse holds.
 *
 * <p>A fault that makes ClickHouse slow raises the sink's pressure level, and the processor then sheds low
 * apps: those records are not lost but counted ({@code ingest_stats} reason {@code shed}). So an expected
 * id missing from ClickHouse is lost unless its app's shed count covers it: per app,
 * {@code lost = max(0, missing - shed)}, and the row is exact only if stored + shed = expected.
 *
 * @param lost        expected ids missing from ClickHouse and not counted as shed
 * @param duplicated  rows beyond the first of an id
 * @param unexpected  stored ids outside the expected set
 * @param shed        records counted as shed (reason {@code shed}) while the fault raised the pressure level
 */
record Verdict(String fault, long sent, int expected, long stored, long lost, long duplicated, long unexpected,
               long shed, double recoverySeconds, String note) {

    static Verdict of(String fault, long sent, Set<String> expected, List<String> storedIds,
                      double recoverySeconds, String note) {
        return of(fault, sent, expected, storedIds, id -> "", Map.of(), recoverySeconds, note);
    }

    /** {@code appOf} names the app of an expected id; {@code shedPerApp} is ingest_stats' shed count per app. */
    static Verdict of(String fault, long sent, Set<String> expected, List<String> storedIds,
                      java.util.function.Function<String, String> appOf, Map<String, Long> shedPerApp,
                      double recoverySeconds, String note) {
        Set<String> distinct = new HashSet<>(storedIds);
        Map<String, Long> missing = new HashMap<>();
        expected.stream().filter(id -> !distinct.contains(id)).forEach(id -> missing.merge(appOf.apply(id), 1L, Long::sum));
        long lost = missing.entrySet().stream()
                .mapToLong(m -> Math.max(0, m.getValue() - shedPerApp.getOrDefault(m.getKey(), 0L))).sum();
        long unexpected = distinct.stream().filter(id -> !expected.contains(id)).count();
        long shed = shedPerApp.values().stream().mapToLong(Long::longValue).sum();
        return new Verdict(fault, sent, expected.size(), storedIds.size(), lost, storedIds.size() - distinct.size(),
                unexpected, shed, recoverySeconds, note);
    }

    Verdict withSent(long sentRecords) {
        return new Verdict(fault, sentRecords, expected, stored, lost, duplicated, unexpected, shed, recoverySeconds, note);
    }

    Verdict withNote(String more) {
        return new Verdict(fault, sent, expected, stored, lost, duplicated, unexpected, shed, recoverySeconds,
                more.isEmpty() ? note : note.isEmpty() ? more : note + ", " + more);
    }

    /** Distinct ids == stored, none outside the expected set, and stored + shed == expected (no id lost). */
    boolean exact() {
        return lost == 0 && duplicated == 0 && unexpected == 0 && stored + shed == expected;
    }
}
