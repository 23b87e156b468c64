package io.tagpipe.bench.logcall;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A call that spans a stop-the-world pause is matched to it; a call after it is not. */
class GcPausesTest {
    @Test
    void aCallAroundAFullGcOverlapsItsPauseAndALaterCallDoesNot() {
        GcPauses pauses = GcPauses.watch();
        long t0 = System.nanoTime();
        System.gc(); // G1: a full, stop-the-world collection
        long t1 = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> pauses.summary().matches("gcPauses=[1-9].*"));

        assertThat(pauses.overlaps(t0, t1)).isTrue();
        long later = t1 + 5_000_000_000L;
        assertThat(pauses.overlaps(later, later + 2_000_000)).isFalse();
    }
}
