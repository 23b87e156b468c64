package io.tagpipe.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {
    private final EnvelopeCodec codec = new EnvelopeCodec();

    @Test
    void logRoundTripsWithEveryField() throws Exception {
        Envelope e = Envelope.log("01J0ABC", "billing-api", 1_764_000_000_123L)
                .appSource("main-class").host("h1").level("ERROR").logger("com.acme.Billing").thread("main")
                .message("payment failed: \"x\" \\ ü ✓").exception("java.lang.IllegalStateException: boom\n\tat x")
                .traceId("4bf92f3577b34da6a3ce929d0e0e4736").spanId("00f067aa0ba902b7")
                .attrs(Map.of("user", "42", "region", "eu")).build();

        assertThat(codec.decode(codec.encode(e))).isEqualTo(e);
    }

    @Test
    void metricRoundTripsWithValueAndPolicyFields() throws Exception {
        Envelope e = Envelope.metric("id-1", "search-indexer", 5L).name("queue.depth").value(12.5)
                .unit("items").type("gauge").build().withPolicy(0.25, 30, "high");

        Envelope back = codec.decode(codec.encode(e));

        assertThat(back).isEqualTo(e);
        assertThat(back.sampleRate()).isEqualTo(0.25);
        assertThat(back.retentionDays()).isEqualTo(30);
        assertThat(back.importance()).isEqualTo("high");
    }

    @Test
    void unknownFieldsAreKeptInAttrs() throws Exception {
        String json = "{\"v\":1,\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,"
                + "\"region\":\"eu\",\"retries\":3,\"ctx\":{\"a\":[1,2]},\"attrs\":{\"k\":\"v\",\"n\":7}}";

        Envelope e = codec.decode(json.getBytes(StandardCharsets.UTF_8));

        assertThat(e.attrs()).containsEntry("region", "eu").containsEntry("retries", "3")
                .containsEntry("ctx", "{\"a\":[1,2]}").containsEntry("k", "v").containsEntry("n", "7");
    }

    @Test
    void hostileAppLabelIsNormalisedAndTheRawOneKept() throws Exception {
        String json = "{\"id\":\"a\",\"app\":\"Billing API'; DROP TABLE x\",\"kind\":\"log\",\"ts\":1}";

        Envelope e = codec.decode(json.getBytes(StandardCharsets.UTF_8));

        assertThat(e.app()).isEqualTo("billing-api-drop-table-x");
        assertThat(e.attrs()).containsEntry("app_raw", "Billing API'; DROP TABLE x");
    }

    @Test
    void numbersWrittenAsStringsAreAccepted() throws Exception {
        Envelope e = codec.decode("{\"id\":\"a\",\"app\":\"x\",\"kind\":\"metric\",\"ts\":\"17\",\"value\":\"2.5\"}"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(e.ts()).isEqualTo(17);
        assertThat(e.value()).isEqualTo(2.5);
    }

    @Test
    void malformedJsonIsUnreadableWithReason() {
        assertUnreadable("{\"id\":", "malformed_json");
        assertUnreadable("[1,2]", "malformed_json");
        assertUnreadable("{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1} trailing", "malformed_json");
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        assertThatThrownBy(() -> codec.decode("{\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("app").hasMessageContaining("kind").hasMessageContaining("ts")
                .extracting(t -> ((UnreadableRecordException) t).reason()).isEqualTo("missing_field");
    }

    @Test
    void unknownKindAndVersionAreRejected() {
        assertUnreadable("{\"id\":\"a\",\"app\":\"x\",\"kind\":\"trace\",\"ts\":1}", "bad_field");
        assertUnreadable("{\"v\":2,\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1}", "bad_version");
        assertUnreadable("{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":\"yesterday\"}", "bad_field");
        assertUnreadable("{\"id\":\"a\",\"app\":\"!!!\",\"kind\":\"log\",\"ts\":1}", "bad_field");
    }

    @Test
    void emptyAndOversizedRecordsAreRejected() {
        assertThatThrownBy(() -> codec.decode(new byte[0])).isInstanceOf(UnreadableRecordException.class)
                .extracting(t -> ((UnreadableRecordException) t).reason()).isEqualTo("empty");
        EnvelopeCodec small = new EnvelopeCodec(100);
        byte[] big = ("{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"message\":\"" + "m".repeat(200) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> small.decode(big)).isInstanceOf(UnreadableRecordException.class)
                .extracting(t -> ((UnreadableRecordException) t).reason()).isEqualTo("too_large");
    }

    @Test
    void invalidUtf8IsUnreadable() {
        byte[] bytes = "{\"id\":\"a\",\"app\":\"x\",\"kind\":\"log\",\"ts\":1,\"message\":\"__\"}"
                .getBytes(StandardCharsets.UTF_8);
        int i = new String(bytes, StandardCharsets.UTF_8).indexOf("__");
        bytes[i] = (byte) 0xC3;
        bytes[i + 1] = (byte) 0x28; // invalid 2-byte sequence
        assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(UnreadableRecordException.class)
                .extracting(t -> ((UnreadableRecordException) t).reason()).isEqualTo("malformed_json");
    }

    @Test
    void reusedEncoderWritesExactlyWhatEncodeWritesRecordAfterRecord() throws Exception {
        EnvelopeCodec.Encoder encoder = codec.newEncoder();
        Envelope small = Envelope.metric("m", "a", 1L).name("n").value(1.0).type("counter").build();
        Envelope large = Envelope.log("l", "b", 2L).level("INFO").message("x".repeat(5_000) + " ü ✓")
                .attrs(Map.of("k", "v")).build();
        Envelope kept = small.withPolicy(0.5, 7, "low");

        for (Envelope e : new Envelope[] {small, large, small, kept, large}) {
            byte[] bytes = encoder.encode(e);
            assertThat(bytes).isEqualTo(codec.encode(e));
            assertThat(codec.decode(bytes)).isEqualTo(e);
        }
    }

    private void assertUnreadable(String json, String reason) {
        assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableRecordException.class)
                .extracting(t -> ((UnreadableRecordException) t).reason()).isEqualTo(reason);
    }
}
