package io.tagpipe.sink;

import static io.tagpipe.sink.Table.INGEST_STATS;
import static io.tagpipe.sink.Table.LOGS;
import static io.tagpipe.sink.Table.METRICS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import io.tagpipe.sink.OffsetLedger.KafkaPosition;
import io.tagpipe.sink.OffsetLedger.Resume;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The recovery rule against a fake store: watermark, exact sets per table, and the fallback. */
class OffsetLedgerTest {
    private static final TopicPartition TP = new TopicPartition("kept", 0);
    private static final TopicPartition TP1 = new TopicPartition("kept", 1);
    private static final TopicPartition STATS = new TopicPartition("stats", 0);
    private static final Map<String, List<Table>> TABLES = Map.of("kept", List.of(LOGS, METRICS),
            "stats", List.of(INGEST_STATS));
    private static final long LOOKBACK = 100;

    private final MemoryStore store = new MemoryStore();
    private final OffsetLedger ledger = new OffsetLedger(LOOKBACK);

    @Test
    void resumesAtTheCommittedOffsetAndSkipsExactlyWhatEachTableHolds() throws Exception {
        store.hold(LOGS, TP, 5, 100, 101, 103).hold(METRICS, TP, 102);
        assertThat(recover(TP, new KafkaPosition(100L, 0, 200))).isEqualTo(new Resume(100, false, false));
        assertThat(storedOf(LOGS, TP, 100, 105)).containsExactly(100L, 101L, 103L);
        assertThat(storedOf(METRICS, TP, 100, 105)).containsExactly(102L);
    }

    @Test
    void aHoleBelowTheHighestStoredOffsetIsReadAgain() throws Exception {
        // one partition's INSERT of a batch (its odd offsets) was lost when the server died; the
        // old rule (seek past the highest stored offset) would have skipped them for good
        store.hold(LOGS, TP, LongStream.rangeClosed(100, 198).filter(o -> o % 2 == 0).toArray());
        assertThat(recover(TP, new KafkaPosition(100L, 0, 200)).offset()).isEqualTo(100);
        assertThat(storedOf(LOGS, TP, 100, 200)).hasSize(50).allMatch(o -> o % 2 == 0);
    }

    @Test
    void recoveryReadsOnlyTheUncommittedWindowOfTheTablesTheTopicFeeds() throws Exception {
        ledger.recover(store, Map.of(TP, new KafkaPosition(100L, 0, 250), STATS, new KafkaPosition(7L, 0, 9)), TABLES);
        assertThat(store.windowsAsked).containsExactlyInAnyOrder(
                Map.of(TP, new Store.Window(100, 250)), Map.of(TP, new Store.Window(100, 250)),
                Map.of(STATS, new Store.Window(7, 9)));
    }

    @Test
    void aPartitionNeitherCommittedNorStoredStartsAtTheLogStartAndCommitsIt() throws Exception {
        assertThat(recover(TP, new KafkaPosition(null, 7, 50))).isEqualTo(new Resume(7, true, false));
        assertThat(storedOf(LOGS, TP, 7, 50)).isEmpty();
    }

    @Test
    void storedRowsWithoutACommittedOffsetAreReadExactlyWithinTheLookbackBelowEachTablesHighest() throws Exception {
        // logs: the last batch lost offset 950; offset 300 went to the DLQ long ago
        store.hold(LOGS, TP, LongStream.range(0, 1000).filter(o -> o != 950 && o != 300).toArray());
        store.hold(METRICS, TP, LongStream.range(0, 980).toArray());
        assertThat(recover(TP, new KafkaPosition(null, 0, 1000))).isEqualTo(new Resume(880, true, true));
        assertThat(LongStream.range(0, 1000).filter(o -> !ledger.isStored(LOGS, TP, o)).boxed()).containsExactly(950L);
        assertThat(LongStream.range(0, 1000).filter(o -> !ledger.isStored(METRICS, TP, o)).boxed())
                .containsExactlyElementsOf(LongStream.range(980, 1000).boxed().toList());
    }

    @Test
    void theFallbackNeverReachesBelowTheLogStart() throws Exception {
        store.hold(LOGS, TP, LongStream.range(10, 60).filter(o -> o != 20).toArray());
        assertThat(recover(TP, new KafkaPosition(null, 10, 60))).isEqualTo(new Resume(10, true, true));
        assertThat(ledger.isStored(LOGS, TP, 20)).isFalse();
        assertThat(ledger.isStored(LOGS, TP, 21)).isTrue();
    }

    @Test
    void aTableWithoutRowsOfThePartitionDoesNotPullTheFallbackBackToTheLogStart() throws Exception {
        store.hold(LOGS, TP, LongStream.range(0, 500).toArray());
        assertThat(recover(TP, new KafkaPosition(null, 0, 500))).isEqualTo(new Resume(400, true, true));
        assertThat(ledger.isStored(METRICS, TP, 400)).isFalse();
    }

    @Test
    void recoveringOnePartitionKeepsWhatTheLedgerKnowsOfTheOthers() throws Exception {
        store.hold(LOGS, TP, 10).hold(LOGS, TP1, 20);
        recover(TP, new KafkaPosition(10L, 0, 30));
        recover(TP1, new KafkaPosition(20L, 0, 30));
        assertThat(ledger.isStored(LOGS, TP, 10)).isTrue();
        assertThat(ledger.isStored(LOGS, TP1, 20)).isTrue();
        assertThat(ledger.isStored(LOGS, TP1, 21)).isFalse();
    }

    @Test
    void aPartitionNeverRecoveredHoldsNothing() {
        assertThat(ledger.isStored(LOGS, TP, 0)).isFalse();
    }

    @Test
    void aPartitionsViewAnswersExactlyAsTheLedger() throws Exception {
        // logs: a hole at 950 and a DLQ'd 300 below the fallback floor; metrics up to 979; TP1 committed with gaps
        store.hold(LOGS, TP, LongStream.range(0, 1000).filter(o -> o != 950 && o != 300).toArray());
        store.hold(METRICS, TP, LongStream.range(0, 980).toArray());
        store.hold(LOGS, TP1, 12, 14, 15).hold(METRICS, TP1, 13);
        recover(TP, new KafkaPosition(null, 0, 1000));
        recover(TP1, new KafkaPosition(10L, 0, 30));
        for (TopicPartition tp : List.of(TP, TP1, STATS, new TopicPartition("kept", 9))) {
            OffsetLedger.Partition view = ledger.partition(tp);
            for (Table t : Table.values()) {
                for (long o = 0; o < 1100; o++) {
                    assertThat(view.isStored(t, o)).as("%s %s %d", tp, t, o).isEqualTo(ledger.isStored(t, tp, o));
                }
            }
        }
    }

    @Test
    void aPartitionsViewSaysFromWhichOffsetNothingIsStored() throws Exception {
        store.hold(LOGS, TP, 100, 103).hold(METRICS, TP, 105);
        recover(TP, new KafkaPosition(100L, 0, 200));
        OffsetLedger.Partition view = ledger.partition(TP);
        assertThat(view.noneStoredFrom(105)).isFalse();
        assertThat(view.noneStoredFrom(106)).isTrue();
        assertThat(ledger.partition(TP1).noneStoredFrom(0)).as("never recovered: holds nothing").isTrue();
    }

    private Resume recover(TopicPartition tp, KafkaPosition k) throws Exception {
        return ledger.recover(store, Map.of(tp, k), TABLES).get(tp);
    }

    private List<Long> storedOf(Table t, TopicPartition tp, long from, long to) {
        return LongStream.range(from, to).filter(o -> ledger.isStored(t, tp, o)).boxed().toList();
    }
}
