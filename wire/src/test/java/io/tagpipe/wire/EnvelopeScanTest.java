package io.tagpipe.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.tagpipe.wire.EnvelopeScan.Field;

/**
 * Every field of an {@link EnvelopeScan} against Jackson's full reading of the same record
 * ({@link EnvelopeCodec#parse}): what the sink copies into its inserts straight from the bytes. The
 * router's fields are compared in {@link EnvelopeScannerTest}.
 */
class EnvelopeScanTest {
    private final EnvelopeCodec codec = new EnvelopeCodec();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsEveryFieldOfARecordTheProcessorKeptAsJacksonDoes() throws Exception {
        Envelope log = Envelope.log("01J0ABC", "billing-api", 1_764_000_000_123L).appSource("main-class").host("h1")
                .level("WARN").logger("com.acme.Billing").thread("main").message("paid ü ✓ 𝄞").exception("boom")
                .traceId("4bf92f3577b34da6a3ce929d0e0e4736").spanId("00f067aa0ba902b7")
                .attrs(Map.of("user", "42", "region", "eu")).build();
        byte[] kept = codec.encodeWithPolicy(codec.read(codec.encode(log)), 0.125, 30, "critical");

        EnvelopeScan s = EnvelopeScanner.scan(kept, true);

        assertThat(s).isNotNull();
        assertThat(s.hasPolicyFields()).isTrue();
        assertThat(s.text(Field.IMPORTANCE)).isEqualTo("critical");
        assertThat(s.number(Field.SAMPLE_RATE)).isEqualTo(0.125);
        assertThat(s.integer(Field.RETENTION_DAYS)).isEqualTo(30);
        assertThat(s.attrsArePlain()).isTrue();
        assertSameAsJackson(s, codec.parse(kept, true));
    }

    @Test
    void saysWhichStringsHoldEscapesAndWhichAttrsAreNotPlain() {
        EnvelopeScan s = EnvelopeScanner.scan(utf8("{\"id\":\"a\",\"message\":\"x\\ny\",\"host\":7,\"name\":null,"
                + "\"attrs\":{\"k\":{\"nested\":1}},\"extra\":[1]}"), true);

        assertThat(s).isNotNull();
        assertThat(s.type(Field.ID)).isEqualTo(EnvelopeScan.STRING);
        assertThat(s.type(Field.MESSAGE)).isEqualTo(EnvelopeScan.ESCAPED_STRING);
        assertThat(s.text(Field.MESSAGE)).isEqualTo("x\\ny"); // not decoded: a reader that copies bytes declines it
        assertThat(s.type(Field.HOST)).isEqualTo(EnvelopeScan.OTHER_SCALAR);
        assertThat(s.type(Field.NAME)).isEqualTo(EnvelopeScan.NULL);
        assertThat(s.type(Field.APP)).isEqualTo(EnvelopeScan.ABSENT);
        assertThat(s.attrsArePlain()).isFalse();
        assertThat(s.hasUnknownFields()).isTrue();
    }

    @Test
    void aSecondAttrsObjectIsNotPlainItsMembersMergeInTheCodec() {
        EnvelopeScan s = EnvelopeScanner.scan(utf8("{\"attrs\":{\"a\":\"1\"},\"attrs\":{\"b\":\"2\"}}"), true);

        assertThat(s).isNotNull();
        assertThat(s.attrsArePlain()).isFalse();
    }

    @Test
    void whateverTheScanAcceptsJacksonReadsTheSameInEveryField() throws Exception {
        byte[][] seeds = {
            codec.encodeWithPolicy(codec.read(codec.encode(Envelope.log("01J", "billing-api", 17L).host("h")
                    .level("INFO").logger("l").thread("t").message("m é").traceId("t1").spanId("s1")
                    .attrs(Map.of("k", "v")).build())), 0.5, 7, "low"),
            codec.encode(Envelope.metric("m-1", "search", -5L).name("q").value(-12.5e-3).unit("items").type("gauge")
                    .build()),
            utf8("{\"v\":1,\"id\":\"a\",\"app\":\"x\",\"kind\":\"metric\",\"ts\":-0,\"value\":0e5,\"sample_rate\":null,"
                    + "\"retention_days\":3.5,\"importance\":null,\"host\":true,\"name\":null,\"unit\":7,"
                    + "\"attrs\":{\"k\":null,\"s\":\"v\"},\"message\":\"q\"}"),
        };
        byte[] alphabet = utf8("\"{}[],:\\ an1.-e0E+tfu/\tb");
        Random rnd = new Random(20261207);
        int accepted = 0;
        for (int n = 0; n < 30_000; n++) {
            byte[] b = Mutations.mutate(seeds[n % seeds.length], alphabet, rnd);
            EnvelopeScan s = EnvelopeScanner.scan(b, true);
            if (s == null) {
                continue;
            }
            EnvelopeCodec.Fields jackson;
            try {
                jackson = codec.parse(b, true);
            } catch (UnreadableRecordException e) {
                throw new AssertionError("scan accepted what Jackson rejects: " + new String(b, StandardCharsets.UTF_8), e);
            }
            accepted++;
            assertSameAsJackson(s, jackson);
        }
        assertThat(accepted).isGreaterThan(3_000);
    }

    private static void assertSameAsJackson(EnvelopeScan s, EnvelopeCodec.Fields j) {
        String what = new String(s.source(), StandardCharsets.UTF_8);
        Object[][] strings = {
            {Field.ID, j.id}, {Field.APP, j.app}, {Field.APP_SOURCE, j.appSource}, {Field.KIND, j.kind},
            {Field.HOST, j.host}, {Field.LEVEL, j.level}, {Field.LOGGER, j.logger}, {Field.THREAD, j.thread},
            {Field.MESSAGE, j.message}, {Field.EXCEPTION, j.exception}, {Field.NAME, j.name}, {Field.UNIT, j.unit},
            {Field.TYPE, j.type}, {Field.TRACE_ID, j.traceId}, {Field.SPAN_ID, j.spanId}, {Field.IMPORTANCE, j.importance},
        };
        for (Object[] f : strings) {
            Field field = (Field) f[0];
            if (s.type(field) != EnvelopeScan.ESCAPED_STRING) { // escapes are the reader's to decode
                assertThat(s.text(field)).as(field + " in " + what).isEqualTo(f[1]);
            }
        }
        assertThat(s.type(Field.TS) == EnvelopeScan.ABSENT ? null : s.integer(Field.TS)).as(what).isEqualTo(j.ts);
        assertThat(s.type(Field.V) == EnvelopeScan.ABSENT ? null : (int) s.integer(Field.V)).as(what).isEqualTo(j.v);
        assertThat(number(s, Field.VALUE)).as(what).isEqualTo(j.value);
        assertThat(number(s, Field.SAMPLE_RATE)).as(what).isEqualTo(j.sampleRate);
        Double days = number(s, Field.RETENTION_DAYS);
        assertThat(days == null ? null : (int) days.doubleValue()).as(what).isEqualTo(j.retentionDays);
        assertThat(s.hasPolicyFields()).as(what).isEqualTo(j.policyFields);
        if (s.attrsArePlain() && !s.hasUnknownFields()) {
            Map<String, String> attrs = new LinkedHashMap<>();
            for (int a = 0; a < s.attrCount(); a++) {
                String key = new String(s.source(), s.attrKeyStart(a), s.attrKeyLength(a), StandardCharsets.UTF_8);
                attrs.put(key, s.attrValueStart(a) < 0 ? ""
                        : new String(s.source(), s.attrValueStart(a), s.attrValueLength(a), StandardCharsets.UTF_8));
            }
            assertThat(attrs).as(what).isEqualTo(j.attrs);
        }
    }

    private static Double number(EnvelopeScan s, Field f) {
        byte t = s.type(f);
        return t == EnvelopeScan.INTEGER || t == EnvelopeScan.DECIMAL ? s.number(f) : null;
    }
}
