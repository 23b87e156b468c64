package io.tagpipe.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tagpipe.collector.testing.InMemorySink;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.Level;
import org.junit.jupiter.api.Test;

class LogEntryAttrsTest {
    private final InMemorySink sink = new InMemorySink();
    private final TagpipeSender sender = TagpipeSender.builder().app("shop").sink(sink).shutdownHook(false).build();

    private Envelope send(Map<String, ?> fields, String marker, Map<String, String> context) {
        sender.log(new LogEntry(1L, Level.INFO, "l", "t", "m", null, null, context, fields, marker));
        return sink.logs().get(sink.logs().size() - 1);
    }

    @Test
    void fieldsComeFirstAndWinANameClashThenMarkerThenContext() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("order", 42);
        fields.put("tenant", "us");
        fields.put("skipped", null);
        Envelope e = send(fields, "AUDIT,SECURITY", Map.of("tenant", "eu"));
        assertThat(e.attrs()).isEqualTo(Map.of("order", "42", "tenant", "us", TagpipeSender.MARKER_ATTR, "AUDIT,SECURITY"));
    }

    @Test
    void aFieldNamedMarkerWinsOverTheMarkers() {
        Envelope e = send(Map.of("marker", "mine"), "AUDIT", null);
        assertThat(e.attrs()).isEqualTo(Map.of("marker", "mine"));
    }

    @Test
    void hostileFieldValuesAreCappedAndNeverThrow() {
        Object throwing = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("no");
            }
        };
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("huge", "x".repeat(1_000_000));
        fields.put("bad", throwing);
        fields.put("k".repeat(10_000), "v");
        fields.put("half", "\uD800");
        Envelope e = send(fields, "M".repeat(5_000), null);

        assertThat(e.attrs().get("huge")).isEqualTo("x".repeat(TagpipeSender.MAX_ATTR_VALUE_CHARS)
                + "…[truncated " + (1_000_000 - TagpipeSender.MAX_ATTR_VALUE_CHARS) + " chars]");
        assertThat(e.attrs().get("bad")).isEqualTo("<unprintable " + throwing.getClass().getName() + ">");
        assertThat(e.attrs()).containsKey("k".repeat(TagpipeSender.MAX_ATTR_KEY_CHARS)
                + "…[truncated " + (10_000 - TagpipeSender.MAX_ATTR_KEY_CHARS) + " chars]");
        assertThat(e.attrs().get("half")).isEqualTo("\uFFFD");
        assertThat(e.attrs().get("marker")).startsWith("M".repeat(TagpipeSender.MAX_ATTR_VALUE_CHARS) + "…[truncated");
        assertThat(new EnvelopeCodec().encode(e)).isNotEmpty();
    }

    @Test
    void atMostMaxAttrsAreKeptFieldsBeforeContext() {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < 1000; i++) {
            fields.put("f" + i, i);
        }
        Envelope e = send(fields, "AUDIT", Map.of("tenant", "eu"));
        assertThat(e.attrs()).hasSize(TagpipeSender.MAX_ATTRS).containsEntry("f0", "0")
                .containsKey("f" + (TagpipeSender.MAX_ATTRS - 1)).doesNotContainKeys("marker", "tenant");
    }

    @Test
    void traceIdsInFieldsAreTakenOutOfAttrs() {
        Envelope e = send(Map.of("trace_id", "t-1", "spanId", "s-1", "order", "7"), null, null);
        assertThat(e.traceId()).isEqualTo("t-1");
        assertThat(e.spanId()).isEqualTo("s-1");
        assertThat(e.attrs()).isEqualTo(Map.of("order", "7"));
    }
}
