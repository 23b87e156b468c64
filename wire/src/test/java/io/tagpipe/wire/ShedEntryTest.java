package io.tagpipe.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ShedEntryTest {
    private static final ShedEntry ENTRY = new ShedEntry("01JF0000000000000000000000", "search-indexer", "log", "INFO",
            1_764_000_000_123L, "tagpipe.records", 3, 41_017L, 2, "tagpipe.kept.low", "low", 7, 0.25);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTrips() throws Exception {
        assertThat(ShedEntry.decode(ENTRY.encode())).isEqualTo(ENTRY);
    }

    @Test
    void aMetricHasNoLevelAndRoundTripsAsEmpty() throws Exception {
        ShedEntry metric = new ShedEntry("m1", "billing-api", "metric", null, 5L, "r", 0, 0L, 4, "k", "normal", 14, 1.0);

        assertThat(ShedEntry.decode(metric.encode()).level()).isEmpty();
    }

    @Test
    void writesVersionOneAndTheFieldNamesOfTheContract() {
        String json = new String(ENTRY.encode(), StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"v\":1,").contains("\"partition\":3", "\"offset\":41017", "\"pressure\":2",
                "\"destination\":\"tagpipe.kept.low\"", "\"retention_days\":7", "\"sample_rate\":0.25");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        String json = new String(ENTRY.encode(), StandardCharsets.UTF_8).replace("{\"v\":1,", "{\"v\":1,\"later\":{\"x\":[1]},");

        assertThat(ShedEntry.decode(utf8(json))).isEqualTo(ENTRY);
    }

    @Test
    void aNewerVersionIsRefusedNotMisread() {
        String json = new String(ENTRY.encode(), StandardCharsets.UTF_8).replace("\"v\":1", "\"v\":2");

        assertThatThrownBy(() -> ShedEntry.decode(utf8(json))).isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("version must be 1, got 2");
    }

    @Test
    void missingFieldsAreAllNamed() {
        assertThatThrownBy(() -> ShedEntry.decode(utf8("{\"v\":1,\"id\":\"x\",\"app\":\"a\"}")))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("kind, ts, topic, partition, offset, pressure, destination, importance, "
                        + "retention_days, sample_rate");
    }

    @Test
    void aNegativeOffsetIsInvalid() {
        String json = new String(ENTRY.encode(), StandardCharsets.UTF_8).replace("\"offset\":41017", "\"offset\":-1");

        assertThatThrownBy(() -> ShedEntry.decode(utf8(json))).isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("offset >= 0");
    }

    @Test
    void malformedJsonIsUnreadable() {
        assertThatThrownBy(() -> ShedEntry.decode(utf8("{\"v\":1,"))).isInstanceOf(UnreadableRecordException.class);
        assertThatThrownBy(() -> ShedEntry.decode(utf8("[1]"))).isInstanceOf(UnreadableRecordException.class);
    }
}
