package io.tagpipe.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.ShedEntry;
import io.tagpipe.wire.StatsRecord;
import io.tagpipe.wire.UnreadableRecordException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The plan's counts and what is written, over fakes of the shed log, ClickHouse, the records topic and the writer. */
class ReplayerTest {
    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");
    private static final ReplayWindow WINDOW = ReplayWindow.parse("1h", null, NOW);
    private static final long T = NOW.toEpochMilli() - 30 * 60_000L;
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final List<ShedEntry> shedLog = new ArrayList<>();
    private final Map<Long, SourceRecords.Source> topic = new HashMap<>(); // offset → record (partition 0)
    private final Set<String> stored = new HashSet<>();
    private final Set<String> knownApps = new HashSet<>(Set.of("idx"));
    private final List<String> progress = new ArrayList<>();

    /** Record {@code i} of app idx at offset {@code i}, shed, and still in the topic. */
    private ShedEntry shed(int i, long ts) {
        Envelope e = Envelope.log("id" + i, "idx", ts).level(i % 2 == 0 ? "INFO" : "DEBUG").build();
        topic.put((long) i, new SourceRecords.Source("idx".getBytes(StandardCharsets.UTF_8), codec.encode(e)));
        ShedEntry entry = new ShedEntry("id" + i, "idx", "log", i % 2 == 0 ? "INFO" : "DEBUG", ts, "records", 0, i, 3,
                "kept.low", "low", 7, 0.5);
        shedLog.add(entry);
        return entry;
    }

    private Replayer replayer() {
        ShedLog log = (app, w) -> shedLog.stream().filter(e -> e.app().equals(app) && w.contains(e.ts())).toList();
        StoredIds ids = new StoredIds() {
            @Override
            public boolean knowsApp(String app) {
                return knownApps.contains(app);
            }

            @Override
            public Set<String> stored(String app, Collection<String> wanted) {
                Set<String> s = new HashSet<>(wanted);
                s.retainAll(stored);
                return s;
            }
        };
        SourceRecords sources = entries -> {
            Map<ShedEntry, SourceRecords.Source> out = new HashMap<>();
            entries.forEach(e -> {
                if (topic.containsKey(e.offset())) {
                    out.put(e, topic.get(e.offset()));
                }
            });
            return out;
        };
        return new Replayer(log, ids, sources, progress::add);
    }

    /** Captures each transaction. */
    private static final class FakeWriter implements ReplayWriter {
        final List<List<ReplayPlan.Replayable>> records = new ArrayList<>();
        final List<StatsRecord> stats = new ArrayList<>();

        @Override
        public Map<TopicPartition, Long> write(List<ReplayPlan.Replayable> r, List<StatsRecord> s) {
            records.add(List.copyOf(r));
            stats.addAll(s);
            return Map.of(new TopicPartition(r.get(0).entry().destination(), 0), (long) records.size() * 100);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void countsWhatIsStored_whatKafkaNoLongerHolds_andReplaysTheRest() {
        for (int i = 0; i < 10; i++) {
            shed(i, T + i);
        }
        stored.addAll(List.of("id1", "id2"));
        topic.remove(3L);
        topic.remove(4L);
        topic.remove(5L);

        ReplayPlan plan = replayer().plan("idx", WINDOW);

        assertThat(plan.shed()).isEqualTo(10);
        assertThat(plan.alreadyStored()).isEqualTo(2);
        assertThat(plan.noLongerHeld()).isEqualTo(3);
        assertThat(plan.unreadable()).isZero();
        assertThat(plan.toReplay()).extracting(r -> r.entry().id()).containsExactly("id0", "id6", "id7", "id8", "id9");
        assertThat(plan.summary()).isEqualTo("shed in window: 10, already in ClickHouse: 2, no longer held by Kafka: 3, "
                + "to replay: 5");
    }

    @Test
    void onlyTheWindowIsReplayed() {
        shed(0, WINDOW.since().toEpochMilli() - 1);
        shed(1, WINDOW.since().toEpochMilli());
        shed(2, WINDOW.until().toEpochMilli());

        assertThat(replayer().plan("idx", WINDOW).toReplay()).extracting(r -> r.entry().id()).containsExactly("id1");
    }

    @Test
    void replayedRecordsCarryThePolicyTheyWouldHaveBeenKeptUnder() throws UnreadableRecordException {
        shed(0, T);

        ReplayPlan.Replayable r = replayer().plan("idx", WINDOW).toReplay().get(0);

        Envelope e = codec.decode(r.value());
        assertThat(e.id()).isEqualTo("id0");
        assertThat(e.sampleRate()).isEqualTo(0.5);
        assertThat(e.retentionDays()).isEqualTo(7);
        assertThat(e.importance()).isEqualTo("low");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("idx");
    }

    @Test
    void aRecordAtTheEntrysOffsetThatIsAnotherRecordIsNotReplayed() {
        shed(0, T);
        shed(1, T);
        topic.put(1L, topic.get(0L)); // the topic was re-created: offset 1 now holds another record

        ReplayPlan plan = replayer().plan("idx", WINDOW);

        assertThat(plan.unreadable()).isEqualTo(1);
        assertThat(plan.toReplay()).extracting(r -> r.entry().id()).containsExactly("id0");
    }

    @Test
    void aDuplicateEntryOfOneIdIsReplayedOnce() {
        ShedEntry e = shed(0, T);
        shedLog.add(e);

        assertThat(replayer().plan("idx", WINDOW).toReplay()).hasSize(1);
    }

    @Test
    void anUnknownAppIsAClearError() {
        assertThatThrownBy(() -> replayer().plan("idz", WINDOW)).isInstanceOf(ReplayException.class)
                .hasMessageContaining("unknown app 'idz'");
    }

    @Test
    void writesInChunks_eachWithTheReplayedCountsOfItsOwnRecords() {
        for (int i = 0; i < 5; i++) {
            shed(i, T + 60_000L * (i / 3)); // ids 0-2 in one minute, 3-4 in the next
        }
        Replayer replayer = replayer();
        ReplayPlan plan = replayer.plan("idx", WINDOW);
        FakeWriter writer = new FakeWriter();

        Map<TopicPartition, Long> last = replayer.run(plan, writer, 2);

        assertThat(writer.records).extracting(List::size).containsExactly(2, 2, 1);
        assertThat(writer.stats).allSatisfy(s -> assertThat(s.reason()).isEqualTo(StatsRecord.REPLAYED));
        assertThat(writer.stats.stream().mapToLong(StatsRecord::count).sum()).isEqualTo(5);
        Map<String, Long> byLevelAndMinute = new HashMap<>();
        writer.stats.forEach(s -> byLevelAndMinute.merge(s.level() + "@" + (s.minute() - StatsRecord.minuteOf(T)) / 60_000,
                s.count(), Long::sum));
        assertThat(byLevelAndMinute).isEqualTo(Map.of("INFO@0", 2L, "DEBUG@0", 1L, "DEBUG@1", 1L, "INFO@1", 1L));
        assertThat(last).containsExactly(Map.entry(new TopicPartition("kept.low", 0), 300L));
        assertThat(progress).contains("replayed 2/5", "replayed 4/5", "replayed 5/5");
    }

    @Test
    void nothingToReplayWritesNothing() {
        shed(0, T);
        stored.add("id0");
        Replayer replayer = replayer();
        FakeWriter writer = new FakeWriter();

        assertThat(replayer.run(replayer.plan("idx", WINDOW), writer, 10)).isEmpty();
        assertThat(writer.records).isEmpty();
    }
}
