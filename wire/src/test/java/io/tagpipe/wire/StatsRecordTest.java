package io.tagpipe.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StatsRecordTest {
    @Test
    void roundTrips() throws Exception {
        StatsRecord s = new StatsRecord("billing-api", "log", "DEBUG", StatsRecord.SAMPLED, 1_764_000_000_000L, 17);
        assertThat(StatsRecord.decode(s.encode())).isEqualTo(s);
    }

    @Test
    void minuteOfTruncatesToTheMinute() {
        assertThat(StatsRecord.minuteOf(120_001L)).isEqualTo(120_000L);
        assertThat(StatsRecord.minuteOf(-1L)).isEqualTo(-60_000L);
    }

    @Test
    void incompleteStatsAreUnreadable() {
        assertThatThrownBy(() -> StatsRecord.decode("{\"app\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableRecordException.class);
    }
}
