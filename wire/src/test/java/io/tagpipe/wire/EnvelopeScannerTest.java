package io.tagpipe.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link EnvelopeScanner}, the one-pass reader behind {@link EnvelopeCodec#read}: whatever it
 * accepts, Jackson accepts and reads the same; whatever it is unsure of goes to Jackson.
 */
class EnvelopeScannerTest {
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final RecentStrings apps = new RecentStrings(); // shared, as the codec shares it between records

    private EnvelopeCodec.Fields scan(byte[] b) {
        return EnvelopeScanner.routerFields(b, apps);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final Envelope LOG = Envelope.log("01J0ABC", "billing-api", 1_764_000_000_123L)
            .appSource("main-class").host("h1").level("WARN").logger("com.acme.Billing").thread("main")
            .message("paid \"x\" \\ ü ✓ 𝄞 \u0001\n\t").exception("boom\n\tat x")
            .traceId("4bf92f3577b34da6a3ce929d0e0e4736").spanId("00f067aa0ba902b7")
            .attrs(Map.of("user", "42", "region", "eu")).build();
    private static final Envelope METRIC = Envelope.metric("m-1", "search", -5L).name("q").value(-12.5e-3)
            .unit("items").type("gauge").build();

    @Test
    void readsRecordsAsCollectorsWriteThemAsJacksonDoes() throws Exception {
        for (Envelope e : new Envelope[] {LOG, METRIC, Envelope.log("b", "a", 0L).level("info").build()}) {
            byte[] b = codec.encode(e);

            EnvelopeCodec.Fields fast = scan(b);

            assertThat(fast).as(e.toString()).isNotNull();
            assertSameFields(fast, codec.parse(b, false));
            Decoded d = codec.read(b);
            assertThat(new Object[] {d.id(), d.app(), d.kind(), d.ts(), d.level(), d.traceId()})
                    .containsExactly(e.id(), e.app(), e.kind(), e.ts(), e.level(), e.traceId());
        }
    }

    @Test
    void readsEveryJsonValueShapeInFieldsItSkips() throws Exception {
        String json = " {\"v\":1, \"id\":\"a\",\"app\":\"x\",\"kind\":\"metric\",\"ts\":-0,\"value\":0e5,"
                + "\"host\":true,\"name\":null,\"unit\":7,\"region\":\"eu\\u00e9\\/\",\"ctx\":{\"a\":[1,-2.50E+3,{},[],\"\"]},"
                + "\"attrs\":{\"k\":[{\"z\":false}],\"n\":null},\"message\":\"\\\"q\\\"\\b\\f\\r\"} \r\n";

        EnvelopeCodec.Fields fast = scan(utf8(json));

        assertThat(fast).isNotNull();
        assertSameFields(fast, codec.parse(utf8(json), false));
    }

    /** Inputs the scanner hands to Jackson; the record then reads exactly as {@code decode} reads it. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"id\":\"a\\u0062\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1}                 | escape in a field the router reads",
        "{\"i\\u0064\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1}                   | escape in a field name",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":\"17\"}                    | number written as a string",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1.5e3}                     | ts with a fraction",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"value\":\"2.5\"}       | value written as a string",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"sample_rate\":0.5}     | policy field present",
        "{\"id\":7,\"app\":\"x\",\"kind\":\"log\",\"ts\":1}                             | number where a string is read",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"n\":1e1000}            | exponent beyond a double",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"v\":1.0}               | version with a fraction",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":01}                        | leading zero (malformed)",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,}                        | trailing comma (malformed)",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1} x                       | trailing content (malformed)",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"message\":{\"a\":1}}   | object in a string field (bad_field)",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"attrs\":[1]}           | attrs not an object (bad_field)",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"message\":\"\\q\"}     | unknown escape (malformed)",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":truex}                     | bad literal (malformed)",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1                          | truncated (malformed)",
        "[1,2]                                                                          | not an object (malformed)",
    })
    void leavesToJacksonWhatItCannotJudgeAlone(String json, String why) throws Exception {
        byte[] b = utf8(json.strip());

        assertThat(scan(b)).as(why).isNull();
        assertThat(readOutcome(b)).as(why).isEqualTo(decodeOutcome(b));
    }

    @Test
    void leavesOddBytesToJacksonWhichAcceptsOrRejectsThemAsBefore() throws Exception {
        byte[] record = utf8("{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"message\":\"__\"}");
        int at = new String(record, StandardCharsets.UTF_8).indexOf("__");
        byte[] overlong = record.clone(); // C0 80: not well-formed UTF-8, which Jackson lets pass
        overlong[at] = (byte) 0xC0;
        overlong[at + 1] = (byte) 0x80;
        byte[] control = record.clone();
        control[at] = 0x01;
        byte[] bom = Mutations.concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, record);
        byte[] surrogate = Mutations.concat(Arrays.copyOf(record, at), Mutations.concat(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                Arrays.copyOfRange(record, at + 2, record.length)));

        for (byte[] b : new byte[][] {overlong, control, bom, surrogate}) {
            assertThat(scan(b)).isNull();
            assertThat(readOutcome(b)).isEqualTo(decodeOutcome(b));
        }
        assertThat(readOutcome(overlong)).doesNotStartWith("unreadable");
        assertThat(readOutcome(bom)).doesNotStartWith("unreadable");
        assertThat(readOutcome(control)).startsWith("unreadable malformed_json");
        assertThat(readOutcome(surrogate)).startsWith("unreadable malformed_json");
    }

    @Test
    void leavesDeepNestingToJacksonWhichRejectsItPastItsLimit() throws Exception {
        byte[] deep = utf8("{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"x\":" + "[".repeat(40) + "]".repeat(40) + "}");
        byte[] tooDeep = utf8("{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"x\":" + "[".repeat(80) + "]".repeat(80) + "}");

        assertThat(scan(deep)).isNull();
        assertThat(readOutcome(deep)).doesNotStartWith("unreadable").isEqualTo(decodeOutcome(deep));
        assertThat(scan(tooDeep)).isNull();
        assertThat(readOutcome(tooDeep)).startsWith("unreadable malformed_json").isEqualTo(decodeOutcome(tooDeep));
    }

    @Test
    void wellFormedRecordsMissingFieldsFailWithTheReasonDecodeGives() {
        byte[] noApp = utf8("{\"id\":\"a\",\"kind\":\"log\",\"ts\":1}");
        byte[] badKind = utf8("{\"id\":\"a\",\"app\":\"x\",\"kind\":\"trace\",\"ts\":1}");
        byte[] nullId = utf8("{\"id\":null,\"app\":\"x\",\"kind\":\"log\",\"ts\":1}");

        assertThat(scan(noApp)).isNotNull(); // well-formed: the scanner reads it, validation rejects it
        assertThatThrownBy(() -> codec.read(noApp)).isInstanceOf(UnreadableRecordException.class)
                .hasMessage("missing required field(s): app");
        assertThat(readOutcome(badKind)).startsWith("unreadable bad_field").isEqualTo(decodeOutcome(badKind));
        assertThat(readOutcome(nullId)).startsWith("unreadable missing_field").isEqualTo(decodeOutcome(nullId));
    }

    @Test
    void eightByteTestFindsTheFirstByteThatNeedsALookInEveryLane() {
        Random rnd = new Random(7);
        for (int lane = 0; lane < 8; lane++) {
            for (int v = 0; v < 256; v++) {
                boolean plainByte = v >= 0x20 && v < 0x80 && v != '"' && v != '\\';
                byte[] word = utf8("abcdefgh");
                word[lane] = (byte) v;
                long special = JsonStrings.special(longOf(word));
                assertThat(special == 0 ? -1 : Long.numberOfTrailingZeros(special) >>> 3)
                        .as("lane %d byte %02x", lane, v).isEqualTo(plainByte ? -1 : lane);
                if (!plainByte) {
                    for (int above = lane + 1; above < 8; above++) { // whatever follows cannot hide it
                        word[above] = (byte) rnd.nextInt(256);
                    }
                    special = JsonStrings.special(longOf(word));
                    assertThat(Long.numberOfTrailingZeros(special) >>> 3).as("lane %d byte %02x", lane, v).isEqualTo(lane);
                }
            }
        }
    }

    private static long longOf(byte[] word) {
        return ByteBuffer.wrap(word).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void whateverTheScannerAcceptsJacksonAcceptsAndReadsTheSame() throws Exception {
        byte[][] seeds = {
            codec.encode(LOG),
            codec.encode(METRIC),
            utf8("{\"id\":\"a\",\"app\":\"Bad App\",\"kind\":\"log\",\"ts\":17,\"x\":{\"y\":[1,\"é\",null,true]},"
                    + "\"n\":-1.5e3,\"b\":false,\"attrs\":{\"k\":[{}],\"s\":\"v\\n\"},\"message\":null,\"v\":1,\"value\":0.25}"),
        };
        byte[] alphabet = utf8("\"{}[],:\\ an1.-e0E+tfu/\tb");
        Random rnd = new Random(20261207);
        int scanned = 0;
        int deferred = 0;
        for (int n = 0; n < 30_000; n++) {
            byte[] b = Mutations.mutate(seeds[n % seeds.length], alphabet, rnd);
            EnvelopeCodec.Fields fast = scan(b);
            if (fast == null) {
                deferred++;
            } else {
                scanned++;
                EnvelopeCodec.Fields jackson;
                try {
                    jackson = codec.parse(b, false);
                } catch (UnreadableRecordException e) {
                    throw new AssertionError("scanner accepted what Jackson rejects: " + new String(b, StandardCharsets.UTF_8), e);
                }
                assertSameFields(fast, jackson);
            }
            assertThat(readOutcome(b)).as(new String(b, StandardCharsets.UTF_8)).isEqualTo(decodeOutcome(b));
        }
        assertThat(scanned).isGreaterThan(3_000);
        assertThat(deferred).isGreaterThan(3_000);
    }

    private static void assertSameFields(EnvelopeCodec.Fields fast, EnvelopeCodec.Fields jackson) {
        assertThat(new Object[] {fast.id, fast.app, fast.kind, fast.ts, fast.level, fast.traceId, fast.v, fast.spliceAt,
            fast.policyFields})
                .containsExactly(jackson.id, jackson.app, jackson.kind, jackson.ts, jackson.level, jackson.traceId,
                        jackson.v, jackson.spliceAt, jackson.policyFields);
    }

    private String readOutcome(byte[] b) {
        try {
            Decoded d = codec.read(b);
            return "read " + Arrays.asList(d.id(), d.app(), d.kind(), d.ts(), d.level(), d.traceId());
        } catch (UnreadableRecordException e) {
            return "unreadable " + e.reason() + ": " + e.getMessage();
        }
    }

    /** What {@code read} must answer, from the full decode; a record it accepts must also be kept intact. */
    private String decodeOutcome(byte[] b) {
        try {
            Envelope e = codec.decode(b);
            byte[] kept = codec.encodeWithPolicy(codec.read(b), 0.5, 7, "low");
            assertThat(codec.decode(kept)).isEqualTo(e.withPolicy(0.5, 7, "low"));
            return "read " + Arrays.asList(e.id(), e.app(), e.kind(), e.ts(), e.level(), e.traceId());
        } catch (UnreadableRecordException e) {
            return "unreadable " + e.reason() + ": " + e.getMessage();
        }
    }
}
