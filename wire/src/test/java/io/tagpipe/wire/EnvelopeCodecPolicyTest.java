package io.tagpipe.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link EnvelopeCodec#read} + {@link EnvelopeCodec#encodeWithPolicy}: the processor's kept-record path. */
class EnvelopeCodecPolicyTest {
    private final EnvelopeCodec codec = new EnvelopeCodec();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] kept(byte[] original, double rate, int days, String importance) throws Exception {
        return codec.encodeWithPolicy(codec.read(original), rate, days, importance);
    }

    @Test
    void recordsWrittenByEncodeComeOutExactlyAsEncodeWritesThemKept() throws Exception {
        Envelope log = Envelope.log("01J0ABC", "billing-api", 1_764_000_000_123L).appSource("main-class")
                .host("h1").level("ERROR").logger("com.acme.Billing").thread("main")
                .message("payment failed: \"x\" \\ ü ✓ \u0001").exception("boom\n\tat x")
                .traceId("4bf92f3577b34da6a3ce929d0e0e4736").spanId("00f067aa0ba902b7")
                .attrs(Map.of("user", "42", "region", "eu")).build();
        Envelope metric = Envelope.metric("id-1", "search-indexer", 5L).name("queue.depth").value(12.5)
                .unit("items").type("gauge").build();
        Envelope bare = Envelope.log("b", "a", 0L).build();
        double[] rates = {1.0, 0.5, 0.1, 1.0E-4, 0.0, 0.3333333333333333};
        int n = 0;
        for (Envelope e : new Envelope[] {log, metric, bare}) {
            for (double rate : rates) {
                int days = 1 + n++ * 7;
                byte[] out = kept(codec.encode(e), rate, days, "high");
                assertThat(new String(out, StandardCharsets.UTF_8))
                        .isEqualTo(new String(codec.encode(e.withPolicy(rate, days, "high")), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void keptBytesStayRightWhenManyPoliciesTakeTurns() throws Exception {
        byte[] original = codec.encode(Envelope.log("i", "a", 1L).message("m").build());
        for (int round = 0; round < 2; round++) { // more combinations than recently formatted suffixes are kept
            for (int n = 0; n < 300; n++) {
                double rate = n % 7 == 0 ? -0.0 : 1.0 / (1 + n % 50);
                String importance = n % 11 == 0 ? null : "imp-" + n % 13;
                Envelope expected = codec.decode(original).withPolicy(rate, 1 + n % 40, importance);

                byte[] out = kept(original, rate, 1 + n % 40, importance);

                assertThat(new String(out, StandardCharsets.UTF_8))
                        .isEqualTo(new String(codec.encode(expected), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void unknownFieldsOrderAndSpellingAreKeptAndTheRecordDecodesAsTheOriginalPlusPolicy() throws Exception {
        String json = " { \"ts\" : \"1764000000123\", \"kind\":\"log\", \"region\":\"eu\", \"ctx\":{\"a\":[1,2.50]},"
                + " \"id\":\"a\", \"app\":\"Billing API\", \"level\":\"warn\", \"attrs\":{\"k\":7}, \"v\":1 } \n";
        Envelope original = codec.decode(utf8(json));

        byte[] out = kept(utf8(json), 0.25, 30, "low");

        assertThat(codec.decode(out)).isEqualTo(original.withPolicy(0.25, 30, "low"));
        assertThat(new String(out, StandardCharsets.UTF_8))
                .startsWith(" { \"ts\" : \"1764000000123\", \"kind\":\"log\", \"region\":\"eu\", \"ctx\":{\"a\":[1,2.50]},")
                .endsWith("\"v\":1 ,\"sample_rate\":0.25,\"retention_days\":30,\"importance\":\"low\"}");
    }

    @Test
    void policyFieldsAnAppSentAreReplacedNotDuplicated() throws Exception {
        String json = "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"importance\":\"critical\","
                + "\"sample_rate\":null,\"extra\":true}";

        byte[] out = kept(utf8(json), 0.5, 7, "low");

        Envelope back = codec.decode(out);
        assertThat(back).isEqualTo(codec.decode(utf8(json)).withPolicy(0.5, 7, "low"));
        assertThat(back.attrs()).containsEntry("extra", "true");
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(text.indexOf("importance")).isEqualTo(text.lastIndexOf("importance"));
        assertThat(text.indexOf("sample_rate")).isEqualTo(text.lastIndexOf("sample_rate"));
    }

    @Test
    void importanceIsEscapedAndMayBeAbsent() throws Exception {
        byte[] original = codec.encode(Envelope.log("i", "a", 1L).message("m").build());

        assertThat(codec.decode(kept(original, 1.0, 14, "we\"ird\\ ✓\n")).importance()).isEqualTo("we\"ird\\ ✓\n");
        Envelope none = codec.decode(kept(original, 1.0, 14, null));
        assertThat(none.importance()).isNull();
        assertThat(none.retentionDays()).isEqualTo(14);
    }

    @Test
    void largeRecordsUnderTheLimitAreSplicedWhole() throws Exception {
        Envelope big = Envelope.log("big", "a", 1L).message("ü".repeat(400_000)).build();
        byte[] original = codec.encode(big);
        assertThat(original.length).isGreaterThan(750_000);

        byte[] out = kept(original, 0.5, 7, "normal");

        assertThat(out).hasSize(original.length + ",\"sample_rate\":0.5,\"retention_days\":7,\"importance\":\"normal\"".length());
        assertThat(codec.decode(out)).isEqualTo(big.withPolicy(0.5, 7, "normal"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1                    | malformed_json",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1}{}                 | malformed_json",
        "[1,2]                                                                    | malformed_json",
        "{\"id\":\"a\",\"kind\":\"log\",\"ts\":1}                                 | missing_field",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"trace\",\"ts\":1}                 | bad_field",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"v\":2}           | bad_version",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"attrs\":[1]}     | bad_field",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"sample_rate\":\"x\"} | bad_field",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"importance\":{}} | bad_field",
        "null                                                                     | malformed_json",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"message\":{\"a\":1}} | bad_field",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"host\":[1],\"ts\":1}      | bad_field",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"value\":\"abc\"}  | bad_field",
        "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"x\":[1,}             | malformed_json",
    })
    void unreadableRecordsFailReadWithTheReasonDecodeGives(String json, String reason) {
        assertUnreadable(utf8(json.strip()), reason);
    }

    @Test
    void invalidUtf8EmptyAndOversizedRecordsFailRead() {
        byte[] bad = utf8("{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"zz\":\"__\"}");
        int i = new String(bad, StandardCharsets.UTF_8).indexOf("__");
        bad[i] = (byte) 0xC3;
        bad[i + 1] = (byte) 0x28; // invalid 2-byte sequence, in an unknown field
        assertUnreadable(bad, "malformed_json");
        assertUnreadable(new byte[0], "empty");
        assertUnreadable(utf8("{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"message\":\""
                + "m".repeat(EnvelopeCodec.DEFAULT_MAX_BYTES) + "\"}"), "too_large");
    }

    @Test
    void readAcceptsAndRejectsExactlyWhatDecodeDoesOnMutatedRecords() {
        byte[][] seeds = {
            codec.encode(Envelope.log("01J0ABC", "billing-api", 1_764_000_000_123L).appSource("main-class")
                    .host("h1").level("WARN").logger("com.acme.Billing").thread("main").message("paid ü ✓")
                    .traceId("4bf92f3577b34da6a3ce929d0e0e4736").spanId("00f067aa0ba902b7")
                    .attrs(Map.of("user", "42", "region", "eu")).build()),
            codec.encode(Envelope.metric("m-1", "search", 5L).name("q").value(12.5).unit("items").type("gauge").build()),
            utf8("{\"id\":\"a\",\"app\":\"Bad App\",\"kind\":\"log\",\"ts\":\"17\",\"x\":{\"y\":[1,\"é\",null]},"
                    + "\"n\":-1.5e3,\"b\":true,\"attrs\":{\"k\":[{}],\"s\":\"v\"},\"message\":null,\"v\":1}"),
        };
        byte[] alphabet = utf8("\"{}[],:\\ an1.-e");
        Random rnd = new Random(20261126);
        int accepted = 0;
        int rejected = 0;
        for (int n = 0; n < 20_000; n++) {
            byte[] b = Mutations.mutate(seeds[n % seeds.length], alphabet, rnd);
            String full = outcome(() -> codec.decode(b).toString());
            String head = outcome(() -> {
                Decoded d = codec.read(b);
                Envelope e = d.envelope();
                assertThat(new Object[] {d.id(), d.app(), d.kind(), d.ts(), d.level(), d.traceId(), d.samplingKey()})
                        .containsExactly(e.id(), e.app(), e.kind(), e.ts(), e.level(), e.traceId(), e.samplingKey());
                return e.toString();
            });
            assertThat(head).as(new String(b, StandardCharsets.UTF_8)).isEqualTo(full);
            if (full.startsWith("unreadable ")) {
                rejected++;
            } else {
                accepted++;
            }
        }
        assertThat(accepted).isGreaterThan(1_000);
        assertThat(rejected).isGreaterThan(1_000);
    }

    private interface Attempt {
        String run() throws Exception;
    }

    private static String outcome(Attempt a) {
        try {
            return a.run();
        } catch (UnreadableRecordException e) {
            return "unreadable " + e.reason() + ": " + e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }


    private void assertUnreadable(byte[] bytes, String reason) {
        assertThatThrownBy(() -> codec.read(bytes)).isInstanceOf(UnreadableRecordException.class)
                .extracting(t -> ((UnreadableRecordException) t).reason()).isEqualTo(reason);
        assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(UnreadableRecordException.class)
                .extracting(t -> ((UnreadableRecordException) t).reason()).isEqualTo(reason);
    }
}
