package io.tagpipe.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.common.TopicPartition;

/**
 * The {@link Store} of the unit tests: each table's stored offsets per topic-partition in memory,
 * every INSERT as it was sent, the windows recovery asked for, and a hook that may refuse (or hold
 * up) an insert as ClickHouse would.
 */
final class MemoryStore implements Store {
    /** Decides about one insert: an exception to throw, or null to store the rows. May block. */
    @FunctionalInterface
    interface Gate {
        Exception check(EncodedRows.Slice rows) throws Exception;
    }

    /** One INSERT that was stored: its table, its rows' offsets, their partitions and each row's topic. */
    record Insert(Table table, List<Long> offsets, Set<Long> partitions, List<String> topics) {
    }

    final List<Insert> inserts = new CopyOnWriteArrayList<>();
    /** What {@link #oneInsertAtATime()} answers (a cluster with a quorum says true). */
    volatile boolean oneAtATime;
    final List<Map<TopicPartition, Window>> windowsAsked = new CopyOnWriteArrayList<>();
    private final Map<Table, Map<TopicPartition, NavigableSet<Long>>> held = new EnumMap<>(Table.class);
    volatile Gate gate = rows -> null;

    /** Rows the table holds already (written before the test's sink ran). */
    synchronized MemoryStore hold(Table table, TopicPartition tp, long... offsets) {
        NavigableSet<Long> s = held(table, tp);
        for (long o : offsets) {
            s.add(o);
        }
        return this;
    }

    /** Offsets inserted into {@code table}, in insert order. */
    List<Long> offsets(Table table) {
        return inserts.stream().filter(i -> i.table() == table).flatMap(i -> i.offsets().stream()).toList();
    }

    @Override
    public boolean oneInsertAtATime() {
        return oneAtATime;
    }

    @Override
    public void insert(EncodedRows.Slice rows) throws Exception {
        Exception refused = gate.check(rows);
        if (refused != null) {
            throw refused;
        }
        List<Long> offsets = rows.sources().stream().map(EncodedRows.Source::offset).toList();
        Set<Long> partitions = IntStream.range(0, rows.size()).mapToObj(rows::partition).collect(Collectors.toSet());
        List<String> topics = rows.sources().stream().map(EncodedRows.Source::topic).toList();
        inserts.add(new Insert(rows.table(), offsets, partitions, topics));
        synchronized (this) {
            rows.sources().forEach(s -> held(rows.table(), new TopicPartition(s.topic(), s.partition())).add(s.offset()));
        }
    }

    @Override
    public synchronized Map<TopicPartition, Long> maxOffsets(Table table, Map<TopicPartition, Window> windows) {
        windowsAsked.add(windows);
        Map<TopicPartition, Long> out = new HashMap<>();
        windows.forEach((tp, w) -> {
            Long max = held(table, tp).lower(w.to());
            if (max != null && max >= w.from()) {
                out.put(tp, max);
            }
        });
        return out;
    }

    @Override
    public synchronized void storedOffsets(Table table, Map<TopicPartition, Window> windows, OffsetSink sink) {
        windowsAsked.add(windows);
        windows.forEach((tp, w) -> new ArrayList<>(held(table, tp).subSet(w.from(), w.to()))
                .forEach(o -> sink.accept(tp, o)));
    }

    private NavigableSet<Long> held(Table table, TopicPartition tp) {
        return held.computeIfAbsent(table, t -> new HashMap<>())
                .computeIfAbsent(tp, x -> new ConcurrentSkipListSet<>());
    }

    /** Refuses any insert holding a "poison" message, as a throwIf guard column would. */
    static Gate refusePoison() {
        return rows -> rows.sources().stream().anyMatch(s -> new String(s.original(), StandardCharsets.UTF_8).contains("poison"))
                ? ExactlyOnceDeliveryTest.serverError(395, "Value passed to 'throwIf' function is non zero") : null;
    }

    /** Refuses inserts spanning more than {@code max} partitions, as {@code max_partitions_per_insert_block} does. */
    static Gate maxPartitionsPerInsert(int max) {
        return rows -> IntStream.range(0, rows.size()).mapToObj(rows::partition).distinct().count() > max
                ? ExactlyOnceDeliveryTest.serverError(252, "Too many partitions for single INSERT block (more than " + max + ")")
                : null;
    }

    /** Refuses inserts of more than {@code maxRows} rows as over the memory limit. */
    static Gate memoryFor(int maxRows) {
        return rows -> rows.size() > maxRows
                ? ExactlyOnceDeliveryTest.serverError(241, "Memory limit (for query) exceeded: would use 9.31 GiB") : null;
    }
}
