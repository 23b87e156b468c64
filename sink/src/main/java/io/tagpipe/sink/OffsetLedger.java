package io.tagpipe.sink;

import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where to resume each topic-partition and which of the offsets read again each table already
 * holds: the recovery rule, in one place. Run at start, on every assignment and after any failed
 * insert; the insert shape does not matter (one INSERT per ClickHouse partition, halves of a
 * bisection, a server killed between two parts of one INSERT).
 *
 * <ol>
 * <li>W = the group's committed offset. Offsets are committed only after every row below was
 *     acknowledged by ClickHouse or dead-lettered, so nothing below W is missing.</li>
 * <li>Per table, the exact set of offsets in [W, log end) it holds (read from the store; it is the
 *     uncommitted window, a batch or two).</li>
 * <li>The consumer reads from W; a record is skipped for a table exactly when that table holds
 *     its offset ({@link #isStored}).</li>
 * </ol>
 *
 * <p><b>No committed offset</b>: with no rows stored either, the partition starts at the log
 * start. If rows are stored (a new group id over old tables, group offsets expired), the
 * <i>fallback</i> applies, logged as a warning: per table, everything more than
 * {@code lookback} offsets below its highest stored offset M is taken as written (or
 * dead-lettered), the offsets in [M + 1 − lookback, log end) are read exactly, and the partition
 * resumes at the lowest of those floors; a table without rows of that partition gets none. The
 * lookback is far wider than any batch this sink writes, and only a batch in flight can be partly
 * written (the next one starts only after it was acknowledged), so a previous run of this sink is
 * recovered exactly. Either way {@link Resume#commit()} asks to commit the resume position at
 * once: from then on W exists, and a crash before the first batch is committed recovers exactly.
 *
 * <p>Used by the consumer thread only (recovery and lookups); synchronized for safety.
 */
final class OffsetLedger {
    private static final Logger log = LoggerFactory.getLogger(OffsetLedger.class);
    /** Offsets below a table's highest that the fallback re-reads exactly. */
    static final long DEFAULT_FALLBACK_LOOKBACK = 500_000;

    /** Kafka's side of one partition: the committed offset (null: none), the log start and end. */
    record KafkaPosition(Long committed, long logStart, long logEnd) {
    }

    /**
     * Where to resume; {@code commit}: no offset was committed, commit this one now;
     * {@code fallback}: rows were stored without a committed offset (see the class comment).
     */
    record Resume(long offset, boolean commit, boolean fallback) {
    }

    /** A table's rows of one partition: every offset below {@code floor}, and those set in {@code above}. */
    private record Held(long floor, BitSet above) {
        boolean holds(long offset) {
            long i = offset - floor;
            return i < 0 || i <= Integer.MAX_VALUE && above.get((int) i);
        }
    }

    private final long fallbackLookback;
    private final Map<Table, Map<TopicPartition, Held>> held = new EnumMap<>(Table.class);

    OffsetLedger(long fallbackLookback) {
        this.fallbackLookback = fallbackLookback;
    }

    synchronized boolean isStored(Table table, TopicPartition tp, long offset) {
        Held h = held.getOrDefault(table, Map.of()).get(tp);
        return h != null && h.holds(offset);
    }

    /** What every table holds of {@code tp}: for checking a run of its offsets (a poll's records) with one lookup. */
    synchronized Partition partition(TopicPartition tp) {
        Held[] byTable = new Held[Table.values().length];
        long clearFrom = Long.MIN_VALUE;
        for (Map.Entry<Table, Map<TopicPartition, Held>> e : held.entrySet()) {
            Held h = e.getValue().get(tp);
            if (h != null) {
                byTable[e.getKey().ordinal()] = h;
                clearFrom = Math.max(clearFrom, h.floor() + h.above().length());
            }
        }
        return new Partition(byTable, clearFrom);
    }

    /**
     * The ledger's view of one partition, taken after a poll: the same answers as {@link OffsetLedger#isStored},
     * without a map lookup or a lock per record. Valid until the partition is recovered again (the consumer thread
     * takes a new one per poll; recovery runs on that thread between polls). A table's holdings of the partition are
     * not changed once recovered (recovery replaces them), so the view needs no copy.
     */
    static final class Partition {
        private final Held[] byTable;
        /** No table holds an offset at or above this one. */
        private final long clearFrom;

        private Partition(Held[] byTable, long clearFrom) {
            this.byTable = byTable;
            this.clearFrom = clearFrom;
        }

        /** True when no table holds {@code offset} or any offset above it: the usual case, one compare. */
        boolean noneStoredFrom(long offset) {
            return offset >= clearFrom;
        }

        boolean isStored(Table table, long offset) {
            if (offset >= clearFrom) {
                return false;
            }
            Held h = byTable[table.ordinal()];
            return h != null && h.holds(offset);
        }
    }

    /**
     * Reads what {@code store} holds of these partitions and replaces what the ledger knew of them;
     * returns where each one resumes. {@code tablesOf}: the tables each topic feeds.
     */
    synchronized Map<TopicPartition, Resume> recover(Store store, Map<TopicPartition, KafkaPosition> kafka,
                                                     Map<String, List<Table>> tablesOf) throws Exception {
        Map<Table, Map<TopicPartition, Long>> fallback = fallbackFloors(store, kafka, tablesOf);
        Map<TopicPartition, Resume> resume = new HashMap<>();
        kafka.forEach((tp, k) -> resume.put(tp, resumeOf(tp, k, tablesOf.get(tp.topic()), fallback)));
        for (Table t : Table.values()) {
            Map<TopicPartition, Store.Window> windows = new HashMap<>();
            resume.forEach((tp, r) -> {
                if (tablesOf.getOrDefault(tp.topic(), List.of()).contains(t)) {
                    long floor = fallback.get(t).getOrDefault(tp, r.offset());
                    windows.put(tp, new Store.Window(floor, Math.min(kafka.get(tp).logEnd(), floor + Integer.MAX_VALUE)));
                }
            });
            held.computeIfAbsent(t, x -> new HashMap<>()).putAll(readExactly(store, t, windows));
        }
        return resume;
    }

    /**
     * For partitions without a committed offset, per table holding rows of them: the fallback floor,
     * {@code lookback} below the highest stored offset (never below the log start).
     */
    private Map<Table, Map<TopicPartition, Long>> fallbackFloors(Store store, Map<TopicPartition, KafkaPosition> kafka,
                                                                 Map<String, List<Table>> tablesOf) throws Exception {
        Map<Table, Map<TopicPartition, Long>> floors = new EnumMap<>(Table.class);
        for (Table t : Table.values()) {
            Map<TopicPartition, Store.Window> uncommitted = new HashMap<>();
            kafka.forEach((tp, k) -> {
                if (k.committed() == null && tablesOf.getOrDefault(tp.topic(), List.of()).contains(t)) {
                    uncommitted.put(tp, new Store.Window(k.logStart(), k.logEnd()));
                }
            });
            Map<TopicPartition, Long> f = new HashMap<>();
            if (!uncommitted.isEmpty()) {
                store.maxOffsets(t, uncommitted).forEach((tp, max) ->
                        f.put(tp, Math.max(kafka.get(tp).logStart(), max + 1 - fallbackLookback)));
            }
            floors.put(t, f);
        }
        return floors;
    }

    private Resume resumeOf(TopicPartition tp, KafkaPosition k, List<Table> tables,
                            Map<Table, Map<TopicPartition, Long>> fallback) {
        if (k.committed() != null) {
            return new Resume(k.committed(), false, false);
        }
        Long lowest = tables.stream().map(t -> fallback.get(t).get(tp)).filter(f -> f != null)
                .min(Long::compare).orElse(null);
        if (lowest == null) {
            return new Resume(k.logStart(), true, false);
        }
        log.warn("no committed offset for {} but ClickHouse holds rows of it: assuming every offset more than {} "
                + "below a table's highest stored one was written, reading exactly from {} (fallback rule)",
                tp, fallbackLookback, lowest);
        return new Resume(lowest, true, true);
    }

    /** The table's rows in each window: everything below the window is taken as held. */
    private static Map<TopicPartition, Held> readExactly(Store store, Table table,
                                                         Map<TopicPartition, Store.Window> windows) throws Exception {
        Map<TopicPartition, Held> out = new HashMap<>();
        windows.forEach((tp, w) -> out.put(tp, new Held(w.from(), new BitSet())));
        if (!windows.isEmpty()) {
            store.storedOffsets(table, windows, (tp, offset) -> {
                Held h = out.get(tp);
                h.above().set(Math.toIntExact(offset - h.floor()));
            });
        }
        return out;
    }
}
