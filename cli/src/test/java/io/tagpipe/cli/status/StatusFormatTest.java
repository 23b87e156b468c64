package io.tagpipe.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import io.tagpipe.admin.status.PipelineStatus;
import io.tagpipe.admin.status.PipelineStatus.GroupLag;
import io.tagpipe.admin.status.PipelineStatus.SinkLevel;
import io.tagpipe.admin.status.PipelineStatus.TopicLag;
import io.tagpipe.admin.status.PipelineStatus.TopicSize;
import io.tagpipe.wire.Pressure;

class StatusFormatTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final Duration STALE_AFTER = Duration.ofSeconds(60);
    private final StatusFormat format = new StatusFormat(STALE_AFTER);

    private static final Pressure LIVE = new Pressure(2, List.of("insert failures 3", "parts 240/300 in logs"),
            NOW - 90_000, NOW - 4_000, "sink-a", true);
    private static final Pressure GONE = new Pressure(3, List.of("insert latency 9.0 s"), NOW - 3_600_000,
            NOW - 600_000, "sink-b", false);

    private static PipelineStatus status(List<SinkLevel> sinks) {
        GroupLag sink = new GroupLag("sink-a", "Stable", 1, List.of(new TopicLag("k.critical", true, 7),
                new TopicLag("k.high", false, 0), new TopicLag("k", true, 0), new TopicLag("k.low", true, 5)));
        GroupLag processor = new GroupLag("proc", "Empty", 0, List.of(new TopicLag("records", true, 6)));
        return new PipelineStatus(NOW, "pressure", true, sinks, sink, processor,
                new TopicSize("dlq", true, 3), new TopicSize("shed", false, 0));
    }

    private static PipelineStatus typical() {
        return status(List.of(new SinkLevel("sink-a", LIVE, null), new SinkLevel("sink-b", GONE, null),
                new SinkLevel("sink-c", null, "pressure record needs a level 0..4")));
    }

    @Test
    void jsonHasEverySinkWithItsAgeStalenessAndPauseAndTheLagsAndSizes() throws Exception {
        JsonNode j = new ObjectMapper().readTree(format.json(typical()));

        assertThat(j.get("level").asInt()).as("the stale sink's level 3 is ignored, as processors do").isEqualTo(LIVE.level());
        JsonNode a = j.get("sinks").get(0);
        assertThat(a.get("sink").asText()).isEqualTo("sink-a");
        assertThat(a.get("level").asInt()).isEqualTo(LIVE.level());
        assertThat(a.get("paused").asBoolean()).isTrue();
        assertThat(a.get("stale").asBoolean()).isFalse();
        assertThat(a.get("age_ms").asLong()).isEqualTo(NOW - LIVE.updatedMs());
        assertThat(a.get("since_ms").asLong()).isEqualTo(LIVE.sinceMs());
        assertThat(a.get("updated_ms").asLong()).isEqualTo(LIVE.updatedMs());
        assertThat(new ObjectMapper().convertValue(a.get("reasons"), List.class)).isEqualTo(LIVE.reasons());
        JsonNode b = j.get("sinks").get(1);
        assertThat(b.get("stale").asBoolean()).isTrue();
        assertThat(b.get("paused").asBoolean()).isFalse();
        assertThat(j.get("sinks").get(2).get("unreadable").asText()).contains("level");

        assertThat(j.get("sink_group").get("members").asInt()).isEqualTo(1);
        assertThat(j.get("sink_group").get("lag").asLong()).isEqualTo(7 + 5);
        assertThat(j.get("sink_group").get("topics").get(0).get("lag").asLong()).isEqualTo(7);
        assertThat(j.get("sink_group").get("topics").get(1).get("exists").asBoolean()).isFalse();
        assertThat(j.get("sink_group").get("topics").get(1).get("lag").isNull()).isTrue();
        assertThat(j.get("processor").get("lag").asLong()).isEqualTo(6);
        assertThat(j.get("dlq").get("records").asLong()).isEqualTo(3);
        assertThat(j.get("shed").get("records").isNull()).isTrue();
    }

    @Test
    void jsonFieldNamesAreStable() throws Exception {
        JsonNode j = new ObjectMapper().readTree(format.json(typical()));

        assertThat(j.fieldNames()).toIterable().containsExactly("checked_at", "level", "stale_after_ms", "pressure_topic",
                "pressure_topic_exists", "sinks", "sink_group", "processor", "dlq", "shed");
        assertThat(j.get("sinks").get(0).fieldNames()).toIterable().containsExactly("sink", "level", "paused", "stale",
                "reasons", "since", "since_ms", "updated", "updated_ms", "age_ms", "source");
        assertThat(j.get("sink_group").fieldNames()).toIterable().containsExactly("group", "state", "members", "lag", "topics");
    }

    @Test
    void tableSaysWhichSinkIsPausedWhichIsStaleAndWhichLaneIsMissing() {
        String t = format.table(typical());

        assertThat(line(t, "sink-a ")).contains(" 2 ", "yes", "4 s ago", "insert failures 3; parts 240/300 in logs")
                .doesNotContain("STALE");
        assertThat(line(t, "sink-b ")).contains("STALE: no update for 10 min, sink probably down", "insert latency 9.0 s");
        assertThat(line(t, "sink-c ")).contains("unreadable record");
        assertThat(t).startsWith("pressure level now: 2 ");
        assertThat(line(t, "sink group sink-a")).contains("Stable, 1 member, lag 12");
        assertThat(line(t, "k.critical")).endsWith(" 7");
        assertThat(line(t, "k.high")).contains("topic missing");
        assertThat(line(t, "processor proc")).contains("0 members, lag 6");
        assertThat(line(t, "dlq dlq")).contains("3 records");
        assertThat(line(t, "shed shed")).contains("topic missing");
    }

    @Test
    void withOnlyStaleSinksTheLevelIsZero() throws Exception {
        PipelineStatus s = status(List.of(new SinkLevel("sink-b", GONE, null)));

        assertThat(new ObjectMapper().readTree(format.json(s)).get("level").asInt()).isZero();
        assertThat(format.table(s)).startsWith("pressure level now: 0 ");
    }

    @Test
    void aRecordExactlyAtTheBoundIsStillFresh() {
        Pressure edge = new Pressure(1, List.of(), NOW, NOW - STALE_AFTER.toMillis(), "s");
        PipelineStatus s = status(List.of(new SinkLevel("s", edge, null)));

        assertThat(format.stale(s, edge)).isFalse();
        assertThat(format.stale(s, new Pressure(1, List.of(), NOW, NOW - STALE_AFTER.toMillis() - 1, "s"))).isTrue();
    }

    @Test
    void noSinkAndNoPressureTopicAreSaidPlainly() {
        assertThat(format.table(status(List.of()))).contains("no sink has published a level on pressure");
        PipelineStatus missing = new PipelineStatus(NOW, "pressure", false, List.of(), typical().sinkGroup(),
                typical().processor(), typical().dlq(), typical().shed());
        assertThat(format.table(missing)).contains("pressure topic pressure is missing");
    }

    @Test
    void agesReadInWholeUnits() {
        assertThat(StatusFormat.human(850)).isEqualTo("850 ms");
        assertThat(StatusFormat.human(119_999)).isEqualTo("119 s");
        assertThat(StatusFormat.human(600_000)).isEqualTo("10 min");
        assertThat(StatusFormat.human(3 * 3_600_000L)).isEqualTo("3 h");
        assertThat(StatusFormat.human(50 * 3_600_000L)).isEqualTo("2 d");
    }

    private static String line(String text, String start) {
        return text.lines().filter(l -> l.strip().startsWith(start.strip()) && l.contains(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + start + "' in:\n" + text));
    }
}
