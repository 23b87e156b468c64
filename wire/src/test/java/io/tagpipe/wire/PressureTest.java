package io.tagpipe.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class PressureTest {
    @Test
    void roundTripsEveryField() throws Exception {
        Pressure p = new Pressure(3, List.of("parts 240/300 in logs", "insert p99 8.1 s"), 1000, 2000, "tagpipe-sink", true);

        assertThat(Pressure.decode(p.encode())).isEqualTo(p);
        assertThat(Pressure.decode(new Pressure(1, List.of(), 5, 6, "s").encode()).paused()).isFalse();
    }

    @Test
    void aRecordWrittenBeforeThePausedFieldExistedDecodesAsNotPaused() throws Exception {
        String old = "{\"v\":1,\"level\":2,\"reasons\":[\"insert failures 3\"],\"since\":1000,\"updated\":2000,\"source\":\"tagpipe-sink\"}";

        assertThat(Pressure.decode(old.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Pressure(2, List.of("insert failures 3"), 1000, 2000, "tagpipe-sink", false));
    }

    @Test
    void unknownFieldsAreIgnoredAndAMissingOrOutOfRangeLevelIsUnreadable() throws Exception {
        assertThat(Pressure.decode("{\"level\":1,\"future\":{\"x\":[1]}}".getBytes(StandardCharsets.UTF_8)).level()).isEqualTo(1);
        assertThatThrownBy(() -> Pressure.decode("{\"reasons\":[]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableRecordException.class).hasMessageContaining("level");
        assertThatThrownBy(() -> Pressure.decode("{\"level\":9}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableRecordException.class).hasMessageContaining("0..4");
        assertThatThrownBy(() -> Pressure.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableRecordException.class);
    }

    @Test
    void levelsOutsideZeroToMaxAreRefusedAtConstruction() {
        assertThatThrownBy(() -> new Pressure(Pressure.MAX + 1, List.of(), 0, 0, "s"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
