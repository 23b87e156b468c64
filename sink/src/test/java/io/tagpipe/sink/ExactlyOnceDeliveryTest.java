package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.clickhouse.client.api.ServerException;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ExactlyOnceDeliveryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final RecordMapper mapper = new RecordMapper(codec, Set.of("kept"), 30, 90, CLOCK);
    private final FakeStore store = new FakeStore();
    private final List<Unreadable> dlq = new ArrayList<>();
    private final ExactlyOnceDelivery delivery = new ExactlyOnceDelivery(store, dlq::addAll);

    @Test
    void badRowIsIsolatedAndDeadLetteredWhileTheRestIsWritten() throws Exception {
        PendingBatch b = batch(100, 37);
        var offsets = delivery.deliver(b);
        assertThat(store.offsets(Table.LOGS)).hasSize(99).doesNotContain(37L).isSorted();
        assertThat(dlq).singleElement().satisfies(u -> {
            assertThat(u.offset()).isEqualTo(37);
            assertThat(u.reason()).isEqualTo("clickhouse_rejected");
            assertThat(u.error()).contains("throwIf");
            assertThat(new String(u.original(), StandardCharsets.UTF_8)).contains("poison");
        });
        assertThat(offsets.get(new TopicPartition("kept", 0)).offset()).isEqualTo(100);
    }

    @Test
    void unavailableDatabaseIsRetriableAndNothingIsAcknowledged() {
        store.down = true;
        assertThatThrownBy(() -> delivery.deliver(batch(10, -1)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorClass.RETRIABLE));
        assertThat(delivery.ledger().isStored(Table.LOGS, new TopicPartition("kept", 0), 0)).isFalse();
    }

    @Test
    void unreadableKeptRecordGoesToTheDlq() throws Exception {
        PendingBatch b = new PendingBatch(1000, 1000, 1 << 20, 1000, Dialect.LEGACY);
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("kept", 0, 5, null, "{not json".getBytes());
        b.add(new TopicPartition("kept", 0), 5, mapper.map(r), 10, 0);
        delivery.deliver(b);
        assertThat(dlq).singleElement().satisfies(u -> assertThat(u.reason()).isEqualTo("malformed_json"));
        assertThat(store.offsets(Table.LOGS)).isEmpty();
    }

    @Test
    void missingProcessorFieldsGetDefaults() {
        Envelope e = Envelope.log("id-1", "billing", CLOCK.millis()).message("m").build();
        Row r = (Row) mapper.map(new ConsumerRecord<>("kept", 0, 0, null, codec.encode(e)));
        assertThat(r.sampleRate()).isEqualTo(1.0);
        assertThat(r.retentionDays()).isEqualTo(30);
        assertThat(r.importance()).isEqualTo("normal");
        assertThat(r.table()).isEqualTo(Table.LOGS);
    }

    @Test
    void errorsAreClassifiedInOnePlace() {
        assertThat(ErrorClass.of(new ServerException(395, "throwIf", 500, "q"))).isEqualTo(ErrorClass.REJECTED);
        assertThat(ErrorClass.of(new ServerException(516, "auth", 500, "q"))).isEqualTo(ErrorClass.FATAL);
        assertThat(ErrorClass.of(new ServerException(241, "memory", 500, "q"))).isEqualTo(ErrorClass.RETRIABLE);
        assertThat(ErrorClass.of(new RuntimeException(new ConnectException("refused")))).isEqualTo(ErrorClass.RETRIABLE);
        assertThat(ErrorClass.of(new NullPointerException())).isEqualTo(ErrorClass.FATAL);
        // consumer.committed() while the broker restarts: wait and retry, never stop the sink
        assertThat(ErrorClass.of(new org.apache.kafka.common.errors.TimeoutException("committed offsets")))
                .isEqualTo(ErrorClass.RETRIABLE);
        assertThat(ErrorClass.of(new org.apache.kafka.common.errors.AuthorizationException("denied")))
                .isEqualTo(ErrorClass.FATAL);
        // 18.16 sends no error-code header: the code is read from the body
        assertThat(ErrorClass.of(new ServerException(0, "Code: 395, e.displayText() = DB::Exception: Value passed to "
                + "'throwIf' function is non zero", 500, "q"))).isEqualTo(ErrorClass.REJECTED);
    }

    private PendingBatch batch(int n, int poisonAt) {
        PendingBatch b = new PendingBatch(100_000, 100_000, 1 << 30, 1000, Dialect.LEGACY);
        for (int i = 0; i < n; i++) {
            Envelope e = Envelope.log("id-" + i, "billing", CLOCK.millis()).message(i == poisonAt ? "poison" : "ok").build();
            var m = mapper.map(new ConsumerRecord<>("kept", 0, i, null, codec.encode(e)));
            b.add(new TopicPartition("kept", 0), i, m, 100, 0);
        }
        return b;
    }

    /** Refuses any insert containing a "poison" message, as a throwIf guard column would. */
    private static final class FakeStore implements Store {
        final List<Table> tables = new ArrayList<>();
        final List<Long> offsets = new ArrayList<>();
        boolean down;

        @Override
        public void insert(EncodedRows.Slice batch) throws Exception {
            if (down) {
                throw new RuntimeException(new ConnectException("Connection refused"));
            }
            if (batch.sources().stream().anyMatch(r -> new String(r.original(), StandardCharsets.UTF_8).contains("poison"))) {
                throw new ServerException(395, "Value passed to 'throwIf' function is non zero", 500, "q");
            }
            for (EncodedRows.Source r : batch.sources()) {
                tables.add(batch.table());
                offsets.add(r.offset());
            }
        }

        @Override
        public Map<TopicPartition, Long> maxOffsets(Table table) {
            return Map.of();
        }

        List<Long> offsets(Table t) {
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < tables.size(); i++) {
                if (tables.get(i) == t) {
                    out.add(offsets.get(i));
                }
            }
            return out;
        }
    }
}
