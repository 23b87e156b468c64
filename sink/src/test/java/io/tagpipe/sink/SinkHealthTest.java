package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagpipe.admin.ops.Health;
import org.junit.jupiter.api.Test;

class SinkHealthTest {

    @Test
    void consumingWithPartitionsIsAliveAndReady() {
        Health h = SinkHealth.of(true, null, 3, false);
        assertThat(h.alive()).isTrue();
        assertThat(h.ready()).isTrue();
        assertThat(h.detail()).contains("3 partitions");
    }

    @Test
    void pausedByAnOutageIsAliveButNotReady() {
        Health h = SinkHealth.of(true, null, 3, true);
        assertThat(h.alive()).isTrue();
        assertThat(h.ready()).isFalse();
        assertThat(h.detail()).contains("paused");
    }

    @Test
    void withoutPartitionsIsAliveButNotReady() {
        Health h = SinkHealth.of(true, null, 0, false);
        assertThat(h.alive()).isTrue();
        assertThat(h.ready()).isFalse();
        assertThat(h.detail()).contains("no partitions");
    }

    @Test
    void aFatalErrorMeansNotAlive() {
        Health h = SinkHealth.of(false, new IllegalStateException("sink cannot continue: table changed"), 3, false);
        assertThat(h.alive()).isFalse();
        assertThat(h.ready()).isFalse();
        assertThat(h.detail()).contains("table changed");
    }

    @Test
    void aStoppedLoopMeansNotAlive() {
        Health h = SinkHealth.of(false, null, 0, false);
        assertThat(h.alive()).isFalse();
        assertThat(h.detail()).contains("not running");
    }
}
