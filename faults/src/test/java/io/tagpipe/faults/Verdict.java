package io.tagpipe.faults;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One row of the fault table: what was sent, what had to survive, what ClickHouse holds.
 *
 * @param lost        expected ids missing from ClickHouse
 * @param duplicated  rows beyond the first of an id
 * @param unexpected  stored ids outside the expected set
 */
record Verdict(String fault, long sent, int expected, long stored, long lost, long duplicated, long unexpected,
               double recoverySeconds, String note) {

    static Verdict of(String fault, long sent, Set<String> expected, List<String> storedIds,
                      double recoverySeconds, String note) {
        Set<String> distinct = new HashSet<>(storedIds);
        long lost = expected.stream().filter(id -> !distinct.contains(id)).count();
        long unexpected = distinct.stream().filter(id -> !expected.contains(id)).count();
        return new Verdict(fault, sent, expected.size(), storedIds.size(), lost, storedIds.size() - distinct.size(),
                unexpected, recoverySeconds, note);
    }

    /** count == distinct ids == expected, and no id outside the expected set. */
    boolean exact() {
        return lost == 0 && duplicated == 0 && unexpected == 0 && stored == expected;
    }
}
