package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.EnvelopeScan;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ParallelMapperTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final RecordMapper mapper = new RecordMapper(codec, Set.of("kept"), 30, 90, CLOCK);

    @Test
    void slicesMappedOnSeveralThreadsComeBackInRecordOrder() {
        List<ConsumerRecord<byte[], byte[]>> records = records(5_003);
        try (ParallelMapper parallel = new ParallelMapper(mapper, 3)) {
            Mapped[] out = parallel.mapAll(records);

            assertThat(out).hasSize(records.size());
            for (int i = 0; i < out.length; i++) {
                assertThat(out[i].offset()).isEqualTo(i);
                if (i % 97 == 0) {
                    assertThat(out[i]).isInstanceOfSatisfying(Unreadable.class,
                            u -> assertThat(u.reason()).isEqualTo("malformed_json"));
                } else {
                    assertThat(out[i]).isInstanceOfSatisfying(Row.class,
                            r -> assertThat(r.raw().text(EnvelopeScan.Field.MESSAGE)).isEqualTo("m" + r.offset()));
                }
            }
        }
    }

    @Test
    void sameResultAsMappingOneByOne() {
        List<ConsumerRecord<byte[], byte[]>> records = records(1_000);
        try (ParallelMapper parallel = new ParallelMapper(mapper, 4)) {
            Mapped[] out = parallel.mapAll(records);
            for (int i = 0; i < out.length; i++) {
                Mapped alone = mapper.map(records.get(i));
                if (alone instanceof Row r) {
                    assertThat(Table.LOGS.encode((Row) out[i], Dialect.LEGACY)).isEqualTo(Table.LOGS.encode(r, Dialect.LEGACY));
                } else {
                    assertThat(out[i]).isEqualTo(alone);
                }
            }
        }
    }

    @Test
    void emptyAndTinyPollsWork() {
        try (ParallelMapper parallel = new ParallelMapper(mapper, 2)) {
            assertThat(parallel.mapAll(List.of())).isEmpty();
            assertThat(parallel.mapAll(records(3))).extracting(Mapped::offset).containsExactly(0L, 1L, 2L);
        }
        assertThatThrownBy(() -> new ParallelMapper(mapper, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private List<ConsumerRecord<byte[], byte[]>> records(int n) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] value = i % 97 == 0 ? ("{broken " + i).getBytes(StandardCharsets.UTF_8)
                    : codec.encode(Envelope.log("id-" + i, "billing", CLOCK.millis()).message("m" + i).build());
            out.add(new ConsumerRecord<>("kept", 0, i, null, value));
        }
        return out;
    }
}
