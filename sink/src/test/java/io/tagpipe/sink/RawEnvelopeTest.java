package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.UnreadableRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A plain record is encoded from its own bytes ({@link RawEnvelope}); every other record is decoded
 * by the codec as before. Both ways must give the same row: each record below is encoded both
 * ways, in both dialects, and read back column by column (byte for byte when it has at most one
 * attr: the decoded envelope's attrs map has an order of its own).
 */
class RawEnvelopeTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
    private static final long NOW = CLOCK.millis();
    private final EnvelopeCodec codec = new EnvelopeCodec(4096);
    private final RecordMapper mapper = new RecordMapper(codec, Set.of("kept"), 30, 90, CLOCK);

    @Test
    void plainRecordsGiveTheSameRowAsTheDecodedEnvelope() throws Exception {
        Map<String, String> two = new LinkedHashMap<>();
        two.put("region", "eu-west-1");
        two.put("request_id", "req-7");
        List<Envelope> envelopes = List.of(
                Envelope.log("id-1", "billing-api", NOW - 1234).appSource("main-class").host("host-3").level("INFO")
                        .logger("com.acme.billing.Handler").thread("http-nio-8080-exec-3")
                        .message("handled request 7 in 12 ms for customer c-7").traceId("t-1").spanId("s-1")
                        .attrs(two).build().withPolicy(0.25, 7, "high"),
                Envelope.log("id-2", "billing", NOW).message("héllo ✓ 🎉 \u0000 tab\t quote\" backslash\\ end")
                        .attrs(Map.of("ключ", "значение ✓")).build(),
                Envelope.log("id-3", "billing", 0).build(),
                Envelope.log("id-4", "billing", 13_569_465_600_000L).build().withPolicy(1.0, 9999, "critical"),
                Envelope.metric("id-5", "payments", NOW).host("h").name("jvm.heap.used").value(123.5).unit("bytes")
                        .type("gauge").attrs(Map.of("region", "eu")).build().withPolicy(0.5, 30, "low"),
                Envelope.metric("id-6", "payments", NOW).name("no.value").build(),
                Envelope.log("id-7", "billing", NOW).message("").host("").build().withPolicy(0.0, 0, ""),
                Envelope.log("id-8", "billing", NOW).build().withPolicy(7.0, -3, "made-up"));
        for (Envelope e : envelopes) {
            assertSameRowBothWays(codec.encode(e));
        }
        // which reader takes a record: the scanner unless a string has an escape, then the parser
        assertThat(RawEnvelope.scanned(codec.encode(envelopes.get(0)))).isNotNull();
        assertThat(RawEnvelope.scanned(codec.encode(envelopes.get(2)))).isNotNull();
        assertThat(RawEnvelope.scanned(codec.encode(envelopes.get(1)))).isNull();
        assertThat(RawParser.parse(codec.encode(envelopes.get(1)))).isNotNull()
                .satisfies(e -> assertThat(e.allPlain()).isFalse());
        assertThat(RawEnvelope.scanned(codec.encode(Envelope.log("x", "billing", NOW).message("naïve ✓").build())))
                .isNotNull().satisfies(e -> assertThat(e.allPlain()).isTrue());
        for (String json : List.of(
                // written by hand: nulls, odd numbers, order, whitespace, repeated fields, escapes
                "{\"ts\":5,\"kind\":\"log\",\"app\":\"billing\",\"id\":\"x\",\"v\":1}",
                "{ \"v\" : 1.5 , \"id\" : \"x\" , \"app\" : \"billing\" , \"kind\" : \"log\" , \"ts\" : 5 }",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"host\":null,\"level\":null,\"attrs\":null}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"message\":\"first\",\"message\":\"second\"}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"message\":\"lone \\ud800 surrogate\"}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"message\":\"\\u0041\\n\\\"\\/\"}",
                // an escaped quote where a plain string of the decoded length would end
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"message\":\"\\t\\\"x\"}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"message\":\"é\\\"x\"}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"attrs\":{}}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"attrs\":{\"a\":null,\"b\":\"\",\"c\":\"é\"}}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"metric\",\"ts\":5,\"value\":null,\"sample_rate\":null,"
                        + "\"retention_days\":null,\"importance\":null}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"metric\",\"ts\":-5,\"value\":7,\"sample_rate\":1,"
                        + "\"retention_days\":7.9,\"importance\":\"normal\"}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"metric\",\"ts\":5,\"value\":2.2250738585072011e-308,"
                        + "\"sample_rate\":0.1000000000000000055511151231257827,\"retention_days\":1e1}")) {
            assertSameRowBothWays(json.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void recordsThatAreNotPlainAreDecodedByTheCodecWithItsOutcome() {
        for (String json : List.of(
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"extra\":\"kept in attrs\"}",
                "{\"id\":\"x\",\"app\":\"Billing API\",\"kind\":\"log\",\"ts\":5}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":\"5\"}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5.5}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"metric\",\"ts\":5,\"value\":\"1.5\"}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"host\":5}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"message\":\"raw\ttab\"}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"message\":\"unterminated}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"attrs\":{\"a\":{\"b\":1}}}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"attrs\":{\"a\":\"1\",\"a\":\"2\"}}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"attrs\":{\"a\":\"1\"},\"attrs\":{\"b\":\"2\"}}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"attrs\":[]}",
                "{\"app\":\"billing\",\"kind\":\"log\",\"ts\":5}",
                "{\"id\":\"\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\"}",
                "{\"v\":2,\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"trace\",\"ts\":5}",
                "{\"id\":\"x\",\"app\":\"---\",\"kind\":\"log\",\"ts\":5}",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5} trailing",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5",
                "[1,2]",
                "",
                "{\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":5,\"message\":\"" + "m".repeat(5000) + "\"}")) {
            assertDecodedAsBefore(json.getBytes(StandardCharsets.UTF_8));
        }
        assertDecodedAsBefore(new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        assertDecodedAsBefore(null);
    }

    /**
     * Records with bytes deleted, inserted, replaced or cut off (fixed seed): whatever the readers
     * accept must be the row the codec decodes, and whatever the codec rejects must be dead-lettered
     * with the codec's reason.
     */
    @Test
    void mutatedRecordsGetTheCodecsOutcome() throws Exception {
        List<byte[]> seeds = List.of(
                codec.encode(Envelope.log("id-1", "billing-api", NOW).appSource("main-class").host("host-3")
                        .level("INFO").logger("com.acme.Handler").thread("exec-3").message("handled 7 in 12 ms é")
                        .traceId("t-1").attrs(Map.of("region", "eu-west-1")).build().withPolicy(0.25, 7, "high")),
                codec.encode(Envelope.metric("id-5", "payments", NOW).name("jvm.heap").value(-123.5e-3).unit("b")
                        .build().withPolicy(1.0, 30, "normal")),
                "{\"v\":1,\"id\":\"x\",\"app\":\"billing\",\"kind\":\"log\",\"ts\":12345,\"attrs\":{\"a\":\"b\",\"c\":null},\"sample_rate\":0.5}"
                        .getBytes(StandardCharsets.UTF_8));
        byte[] alphabet = "\"\\{}[],:0123456789-+.eEnul tx\n".getBytes(StandardCharsets.UTF_8);
        java.util.Random random = new java.util.Random(16);
        int readRaw = 0;
        for (int n = 0; n < 6_000; n++) {
            byte[] seed = seeds.get(n % seeds.size());
            byte[] m = mutate(seed, random, alphabet);
            if (RawEnvelope.read(m, codec.maxBytes()) != null) {
                readRaw++;
            }
            assertSameOutcome(m);
        }
        assertThat(readRaw).as("mutations the raw readers took").isGreaterThan(100);
    }

    private static byte[] mutate(byte[] seed, java.util.Random random, byte[] alphabet) {
        int at = random.nextInt(seed.length);
        byte any = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        switch (random.nextInt(4)) {
            case 0 -> { // delete
                out.write(seed, 0, at);
                out.write(seed, at + 1, seed.length - at - 1);
            }
            case 1 -> { // insert
                out.write(seed, 0, at);
                out.write(any);
                out.write(seed, at, seed.length - at);
            }
            case 2 -> { // replace
                out.write(seed, 0, seed.length);
                byte[] b = out.toByteArray();
                b[at] = any;
                return b;
            }
            default -> out.write(seed, 0, at); // cut off
        }
        return out.toByteArray();
    }

    /** The mapper's row or dead letter for {@code json} is the one the codec's decoding gives. */
    private void assertSameOutcome(byte[] json) throws Exception {
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("kept", 3, 42, null, json);
        String what = new String(json, StandardCharsets.UTF_8);
        Mapped m = mapper.map(r);
        Row decoded;
        try {
            decoded = mapper.decoded(r);
        } catch (UnreadableRecordException e) {
            assertThat(m).as(what).isInstanceOfSatisfying(Unreadable.class,
                    u -> assertThat(u.reason()).isEqualTo(e.reason()));
            return;
        }
        assertThat(m).as(what).isInstanceOf(Row.class);
        assertSameRow((Row) m, decoded, what);
    }

    private void assertSameRowBothWays(byte[] json) throws UnreadableRecordException {
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("kept", 3, 42, null, json);
        String what = new String(json, StandardCharsets.UTF_8);
        assertThat(RawEnvelope.read(json, codec.maxBytes())).as(what).isNotNull();
        Row raw = (Row) mapper.map(r);
        assertThat(raw.raw()).as(what).isNotNull();
        assertSameRow(raw, mapper.decoded(r), what);
    }

    private static void assertSameRow(Row raw, Row decoded, String what) {
        assertThat(raw.table()).as(what).isEqualTo(decoded.table());
        assertThat(List.of(raw.storedTs(), raw.recordTs(), raw.retentionDays(), raw.sampleRate(), raw.importance()))
                .as(what).isEqualTo(List.of(decoded.storedTs(), decoded.recordTs(), decoded.retentionDays(),
                        decoded.sampleRate(), decoded.importance()));
        for (Dialect d : Dialect.values()) {
            byte[] fromBytes = raw.table().encode(raw, d);
            byte[] fromEnvelope = decoded.table().encode(decoded, d);
            RowBinaryReader a = new RowBinaryReader(fromBytes);
            RowBinaryReader b = new RowBinaryReader(fromEnvelope);
            assertThat(a.row(raw.table(), d)).as("%s %s", d, what).isEqualTo(b.row(decoded.table(), d));
            assertThat(a.remaining()).isZero();
            if (decoded.attrs().size() <= 1) {
                assertThat(fromBytes).as("%s %s", d, what).isEqualTo(fromEnvelope);
            }
        }
    }

    private void assertDecodedAsBefore(byte[] json) {
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("kept", 3, 42, null, json);
        String what = json == null ? "null" : new String(json, StandardCharsets.UTF_8);
        assertThat(RawEnvelope.read(json, codec.maxBytes())).as(what).isNull();
        Mapped m = mapper.map(r);
        try {
            Row decoded = mapper.decoded(r);
            assertThat(m).as(what).isInstanceOfSatisfying(Row.class, row -> {
                assertThat(row.raw()).isNull();
                assertThat(row.envelope()).isEqualTo(decoded.envelope());
            });
        } catch (UnreadableRecordException e) {
            assertThat(m).as(what).isInstanceOfSatisfying(Unreadable.class,
                    u -> assertThat(u.reason()).isEqualTo(e.reason()));
        }
    }
}
