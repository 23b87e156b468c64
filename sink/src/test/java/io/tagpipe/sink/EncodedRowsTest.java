package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The batch encoding: rows are RowBinary-encoded into one chunked buffer as they arrive and
 * streamed from it. Each row is read back column by column with a RowBinary reader written here
 * from ClickHouse's format description, so a shifted byte, a wrong length prefix or a row torn at
 * a chunk boundary fails.
 */
class EncodedRowsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
    private static final long DAY = 86_400_000L;
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final RecordMapper mapper = new RecordMapper(codec, Set.of("kept"), 30, 90, CLOCK);

    @Test
    void legacyLogRowReadsBackColumnByColumn() {
        Envelope e = Envelope.log("id-1", "billing", CLOCK.millis() - 1234).host("h").level("WARN").logger("l")
                .thread("t").message("héllo ✓ 🎉 \u0000 tab\t").traceId("tr").spanId("sp")
                .attrs(Map.of("region", "eu-west-1")).build().withPolicy(0.25, 7, "high");
        EncodedRows rows = encode(List.of(e));

        RowBinaryReader r = new RowBinaryReader(bytes(rows.all()));
        assertThat(r.int32()).isEqualTo(Math.floorDiv(CLOCK.millis() - 1234, 1000L)); // ts: DateTime
        assertThat(r.int64()).isEqualTo(CLOCK.millis() - 1234); // ts_ms
        assertThat(r.strings(11)).containsExactly("id-1", "billing", "", "h", "WARN", "l", "t",
                "héllo ✓ 🎉 \u0000 tab\t", "", "tr", "sp");
        assertThat(r.stringArray()).containsExactly("region");
        assertThat(r.stringArray()).containsExactly("eu-west-1");
        assertThat(r.float64()).isEqualTo(0.25);
        assertThat(r.uint16()).isEqualTo(7);
        assertThat(r.strings(2)).containsExactly("high", "kept");
        assertThat(r.int32()).isEqualTo(3); // kafka_partition
        assertThat(r.int64()).isEqualTo(0); // kafka_offset
        assertThat(r.remaining()).isZero();
    }

    @Test
    void farTimestampsAreClampedInTsButKeptInTsMs() {
        long year2400 = 13_569_465_600_000L;
        EncodedRows rows = encode(List.of(Envelope.log("a", "billing", 0).build(),
                Envelope.log("b", "billing", year2400).build()));

        RowBinaryReader old = new RowBinaryReader(rows.all().rowBytes(0));
        assertThat(old.int32()).isEqualTo((CLOCK.millis() - 29 * DAY) / 1000); // a day inside the default retention of 30
        assertThat(old.int64()).isZero();
        RowBinaryReader future = new RowBinaryReader(rows.all().rowBytes(1));
        assertThat(future.int32()).isEqualTo((CLOCK.millis() + DAY) / 1000);
        assertThat(future.int64()).isEqualTo(year2400);
    }

    @Test
    void hugeAttrsSpanChunksAndSlicesStreamExactlyTheirRows() {
        Map<String, String> huge = new LinkedHashMap<>();
        for (int i = 0; i < 400; i++) {
            huge.put("k" + i, "v".repeat(1000) + i); // ~400 KB: more than one chunk
        }
        List<Envelope> in = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            in.add(Envelope.log("id-" + i, "billing", CLOCK.millis()).message("m" + i)
                    .attrs(i % 3 == 1 ? huge : Map.of("i", "" + i)).build());
        }
        EncodedRows rows = encode(in);
        assertThat(rows.bytes()).isGreaterThan(2L * RowBinary.CHUNK);

        for (int i = 0; i < in.size(); i++) {
            byte[] alone = Table.LOGS.encode((Row) map(in.get(i), i), Dialect.LEGACY);
            assertThat(rows.all().rowBytes(i)).isEqualTo(alone);
            RowBinaryReader r = new RowBinaryReader(alone);
            r.int32();
            r.int64();
            assertThat(r.strings(11).get(7)).isEqualTo("m" + i);
            assertThat(r.stringArray()).hasSize(i % 3 == 1 ? 400 : 1);
            assertThat(r.stringArray()).contains(i % 3 == 1 ? "v".repeat(1000) + 399 : "" + i); // values
        }
        // a bisection's halves together are the whole batch, byte for byte
        EncodedRows.Slice all = rows.all();
        assertThat(concat(bytes(all.head(3)), bytes(all.tail(3)))).isEqualTo(bytes(all));
        assertThat(bytes(all.head(3).tail(1))).isEqualTo(concat(all.rowBytes(1), all.rowBytes(2)));
        assertThat(all.tail(3).source(0).offset()).isEqualTo(3);
        assertThat(bytes(all.head(0))).isEmpty();
    }

    @Test
    void aClearedBatchReusesItsBufferWithoutStaleBytes() {
        EncodedRows rows = encode(List.of(Envelope.log("long", "billing", CLOCK.millis()).message("x".repeat(300_000)).build()));
        rows.clear();
        Envelope small = Envelope.log("s", "billing", CLOCK.millis()).message("small").build();
        rows.add((Row) map(small, 9));
        assertThat(rows.size()).isEqualTo(1);
        assertThat(bytes(rows.all())).isEqualTo(Table.LOGS.encode((Row) map(small, 9), Dialect.LEGACY));
    }

    @Test
    void currentDialectWritesDateTime64AndAMap() {
        Envelope e = Envelope.log("id", "billing", CLOCK.millis()).attrs(Map.of("k", "v")).build();
        EncodedRows rows = new EncodedRows(Table.LOGS, Dialect.CURRENT, new Partitioning(ZoneOffset.UTC));
        rows.add((Row) map(e, 5));
        RowBinaryReader r = new RowBinaryReader(bytes(rows.all()));
        assertThat(r.int64()).isEqualTo(CLOCK.millis()); // DateTime64(3)
        assertThat(r.int64()).isEqualTo(CLOCK.millis());
        r.strings(11);
        assertThat(r.varint()).isEqualTo(1); // Map: size, then key, value
        assertThat(r.strings(2)).containsExactly("k", "v");
    }

    @Test
    void unreadableRecordsNeverReachTheEncodedRows() {
        PendingBatch b = new PendingBatch(100, 100, 1 << 20, 1000, Dialect.LEGACY, ZoneOffset.UTC);
        byte[][] bad = {
            "{not json".getBytes(StandardCharsets.UTF_8),
            "{\"v\":1,\"app\":\"billing\",\"kind\":\"log\",\"ts\":1}".getBytes(StandardCharsets.UTF_8), // no id
            {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, // invalid UTF-8
        };
        for (int i = 0; i < bad.length; i++) {
            b.add(new TopicPartition("kept", 0), i, mapper.map(new ConsumerRecord<>("kept", 0, i, null, bad[i])), 10, 0);
        }
        b.add(new TopicPartition("kept", 0), 3, map(Envelope.log("ok", "billing", CLOCK.millis()).build(), 3), 10, 0);

        assertThat(b.unreadable()).extracting(Unreadable::reason).containsExactly("malformed_json", "missing_field",
                "malformed_json");
        assertThat(b.rows().get(Table.LOGS).size()).isEqualTo(1);
        assertThat(b.rows().get(Table.LOGS).all().source(0).offset()).isEqualTo(3);
        assertThat(b.commitOffsets().get(new TopicPartition("kept", 0)).offset()).isEqualTo(4);
    }

    @Test
    void aRowThatCannotBeEncodedGoesToTheDlqAndLeavesNoBytesBehind() {
        PendingBatch b = new PendingBatch(100, 100, 1 << 20, 1000, Dialect.LEGACY, ZoneOffset.UTC);
        Row good0 = (Row) map(Envelope.log("a", "billing", CLOCK.millis()).build(), 0);
        // no envelope: the ts column is written, then ts_ms fails half-way through the row
        Row broken = new Row(Table.LOGS, "kept", 3, 1, null, "orig".getBytes(StandardCharsets.UTF_8), null, null, null,
                CLOCK.millis(), 30, 1.0, "normal");
        Row good2 = (Row) map(Envelope.log("c", "billing", CLOCK.millis()).build(), 2);
        TopicPartition tp = new TopicPartition("kept", 3);
        b.add(tp, 0, good0, 10, 0);
        b.add(tp, 1, broken, 10, 0);
        b.add(tp, 2, good2, 10, 0);

        assertThat(b.unreadable()).singleElement().satisfies(u -> {
            assertThat(u.reason()).isEqualTo("unencodable");
            assertThat(u.offset()).isEqualTo(1);
            assertThat(u.original()).isEqualTo("orig".getBytes(StandardCharsets.UTF_8));
        });
        EncodedRows.Slice all = b.rows().get(Table.LOGS).all();
        assertThat(all.sources()).extracting(EncodedRows.Source::offset).containsExactly(0L, 2L);
        assertThat(bytes(all)).isEqualTo(concat(Table.LOGS.encode(good0, Dialect.LEGACY),
                Table.LOGS.encode(good2, Dialect.LEGACY)));
    }

    @Test
    void truncateRewindsAcrossChunkBoundaries() {
        RowBinary out = new RowBinary();
        for (int i = 0; i < RowBinary.CHUNK + 10; i++) {
            out.int16(0xFFFF);
        }
        for (long keep : new long[] {2L * RowBinary.CHUNK, RowBinary.CHUNK, RowBinary.CHUNK - 3, 0}) {
            out.truncate(keep);
            out.string("abc");
            byte[] b = out.toBytes(0, out.size());
            assertThat(b).hasSize((int) keep + 4);
            assertThat(java.util.Arrays.copyOfRange(b, (int) keep, b.length)).containsExactly(3, 'a', 'b', 'c');
            if (keep > 0) {
                assertThat(b[(int) keep - 1]).isEqualTo((byte) 0xFF);
            }
            out.truncate(keep); // back to only 0xFF bytes for the next round
        }
    }

    @Test
    void rowsAreGroupedByPartitionAndEachGroupStreamsExactlyItsRowsFromTheSharedBuffer() {
        List<Envelope> in = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long ts = CLOCK.millis() - (i % 3) * DAY - 1;
            in.add(Envelope.log("id-" + i, "billing", ts).message("m" + i).build().withPolicy(1.0, i < 20 ? 30 : 7, "n"));
        }
        EncodedRows rows = encode(in);
        List<EncodedRows.Slice> groups = rows.byPartition();

        assertThat(groups).hasSize(6); // 3 days x 2 retention tiers
        List<Long> seen = new ArrayList<>();
        for (EncodedRows.Slice g : groups) {
            assertThat(g.rows()).isSameAs(rows);
            assertThat(java.util.stream.IntStream.range(0, g.size()).mapToObj(g::partition).distinct()).hasSize(1);
            List<Long> offsets = g.sources().stream().map(EncodedRows.Source::offset).toList();
            assertThat(offsets).isSorted();
            byte[] expected = new byte[0];
            for (long o : offsets) {
                expected = concat(expected, Table.LOGS.encode((Row) map(in.get((int) o), o), Dialect.LEGACY));
            }
            assertThat(bytes(g)).isEqualTo(expected);
            assertThat(concat(bytes(g.head(1)), bytes(g.tail(1)))).isEqualTo(expected); // bisection inside a group
            seen.addAll(offsets);
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.range(0, 40).boxed().toList());
    }

    @Test
    void oneDayAndTierIsOneSliceOfTheWholeBuffer() {
        EncodedRows rows = encode(List.of(Envelope.log("a", "billing", CLOCK.millis()).build(),
                Envelope.log("b", "billing", CLOCK.millis() + 1000).build()));
        assertThat(rows.byPartition()).containsExactly(rows.all());
        assertThat(new EncodedRows(Table.LOGS, Dialect.LEGACY, new Partitioning(ZoneOffset.UTC)).byPartition()).isEmpty();
    }

    @Test
    void thePartitionIsTheDayOfTheEncodedTsInTheServersZone() {
        java.time.LocalDate day = java.time.LocalDate.of(2026, 3, 29); // a DST change in Europe
        for (java.time.ZoneId zone : List.of(ZoneOffset.UTC, java.time.ZoneId.of("Asia/Kolkata"),
                java.time.ZoneId.of("Europe/Berlin"), java.time.ZoneId.of("America/New_York"))) {
            Partitioning p = new Partitioning(zone);
            long midnight = day.atStartOfDay(zone).toInstant().toEpochMilli();
            for (long ts : new long[] {midnight - 1, midnight, midnight + 999, midnight + DAY - 1, midnight + 25 * 3_600_000L}) {
                for (Dialect d : Dialect.values()) {
                    Row row = (Row) map(Envelope.log("x", "billing", ts).build().withPolicy(1.0, 3000, "n"), 0);
                    RowBinaryReader r = new RowBinaryReader(Table.LOGS.encode(row, d));
                    long encodedSecond = d == Dialect.LEGACY ? r.int32() : Math.floorDiv(r.int64(), 1000L);
                    java.time.LocalDate encodedDay = java.time.LocalDate.ofInstant(
                            java.time.Instant.ofEpochSecond(encodedSecond), zone);
                    String expected = "(3000, " + encodedDay.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE) + ")";
                    assertThat(Partitioning.sql(p.keyOf(row))).as("%s %s %d", zone, d, ts).isEqualTo(expected);
                }
            }
        }
    }

    private Mapped map(Envelope e, long offset) {
        return mapper.map(new ConsumerRecord<>("kept", 3, offset, null, codec.encode(e)));
    }

    private EncodedRows encode(List<Envelope> in) {
        EncodedRows rows = new EncodedRows(Table.LOGS, Dialect.LEGACY, new Partitioning(ZoneOffset.UTC));
        for (int i = 0; i < in.size(); i++) {
            rows.add((Row) map(in.get(i), i));
        }
        return rows;
    }

    private static byte[] bytes(EncodedRows.Slice s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            s.writeTo(out);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
