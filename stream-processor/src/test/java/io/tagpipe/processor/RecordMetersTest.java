package io.tagpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tagpipe.admin.ops.AppLabels;
import io.tagpipe.wire.StatsRecord;
import org.junit.jupiter.api.Test;

class RecordMetersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordMeters meters = new RecordMeters(registry, new AppLabels(2));

    @Test
    void countsInKeptAndDroppedByReasonPerApp() {
        meters.count("billing", StatsRecord.KEPT);
        meters.count("billing", StatsRecord.KEPT);
        meters.count("billing", StatsRecord.MIN_LEVEL);
        meters.count("billing", StatsRecord.SAMPLED);
        meters.count("billing", StatsRecord.SAMPLED);

        assertThat(count(RecordMeters.IN, "billing")).isEqualTo(5);
        assertThat(count(RecordMeters.KEPT, "billing")).isEqualTo(2);
        assertThat(dropped("billing", StatsRecord.MIN_LEVEL)).isEqualTo(1);
        assertThat(dropped("billing", StatsRecord.SAMPLED)).isEqualTo(2);
    }

    @Test
    void appsBeyondTheBoundShareTheOtherLabel() {
        meters.count("a", StatsRecord.KEPT);
        meters.count("b", StatsRecord.KEPT);
        meters.count("c", StatsRecord.KEPT);
        meters.count("d", StatsRecord.UNREADABLE);

        assertThat(registry.find(RecordMeters.IN).counters()).extracting(c -> c.getId().getTag("app"))
                .containsExactlyInAnyOrder("a", "b", AppLabels.OTHER);
        assertThat(count(RecordMeters.IN, AppLabels.OTHER)).isEqualTo(2);
        assertThat(count(RecordMeters.KEPT, AppLabels.OTHER)).isEqualTo(1);
        assertThat(dropped(AppLabels.OTHER, StatsRecord.UNREADABLE)).isEqualTo(1);
    }

    @Test
    void levelGaugeShowsTheLastLevel() {
        meters.level(3);
        meters.level(1);
        assertThat(registry.get(RecordMeters.LEVEL).gauge().value()).isEqualTo(1);
    }

    private double count(String name, String app) {
        return registry.get(name).tag("app", app).counter().count();
    }

    private double dropped(String app, String reason) {
        return registry.get(RecordMeters.DROPPED).tag("app", app).tag("reason", reason).counter().count();
    }
}
