package io.tagpipe.dev.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.tagpipe.wire.StatsRecord;
import org.junit.jupiter.api.Test;

class StatsTallyTest {
    private static StatsRecord line(String app, String reason, long count) {
        return new StatsRecord(app, "log", "INFO", reason, 0, count);
    }

    @Test
    void repeatedLinesOfTheSameKeyAreSummedBecauseTheyAreDeltas() {
        StatsTally t = new StatsTally(0, 5_000);
        t.add(line("a", "kept", 10), 1_000);
        t.add(line("a", "kept", 5), 3_000);
        t.add(line("a", "sampled", 7), 3_000);
        t.add(line("b", "rate_limit", 2), 3_000);

        assertThat(t.kept()).isEqualTo(15);
        assertThat(t.received()).isEqualTo(24);
        assertThat(t.droppedByReason()).isEqualTo(Map.of("sampled", 7L, "rate_limit", 2L));
        assertThat(t.count("a", "kept")).isEqualTo(15);
    }

    @Test
    void timelineBucketsByWhenTheLineWasSeenKeptVersusDropped() {
        StatsTally t = new StatsTally(100_000, 5_000);
        t.add(line("a", "kept", 10), 101_000);
        t.add(line("a", "min_level", 4), 104_999);
        t.add(line("a", "kept", 3), 105_000);
        t.add(line("a", "kept", 1), 90_000); // before the origin: first bucket

        var buckets = t.timeline().get("a");
        assertThat(buckets.keySet()).containsExactly(0L, 1L);
        assertThat(buckets.get(0L)).containsExactly(11, 4);
        assertThat(buckets.get(1L)).containsExactly(3, 0);
    }

    @Test
    void timelineIsACopy() {
        StatsTally t = new StatsTally(0, 1_000);
        t.add(line("a", "kept", 1), 0);
        t.timeline().get("a").get(0L)[0] = 99;

        assertThat(t.timeline().get("a").get(0L)[0]).isEqualTo(1);
    }
}
