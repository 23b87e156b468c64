package io.tagpipe.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

    @Test
    void agesCountBackFromNow_andUntilDefaultsToNow() {
        ReplayWindow w = ReplayWindow.parse("2h", null, NOW);

        assertThat(w.since()).isEqualTo(Instant.parse("2026-12-07T01:00:00Z"));
        assertThat(w.until()).isEqualTo(NOW);
    }

    @Test
    void instantsAreTakenAsGiven_andMixWithAges() {
        ReplayWindow w = ReplayWindow.parse("2026-12-06T22:30:00Z", "30m", NOW);

        assertThat(w.since()).isEqualTo(Instant.parse("2026-12-06T22:30:00Z"));
        assertThat(w.until()).isEqualTo(Instant.parse("2026-12-07T02:30:00Z"));
    }

    @Test
    void sinceIsInclusive_untilExclusive() {
        ReplayWindow w = ReplayWindow.parse("2026-12-07T01:00:00Z", "2026-12-07T02:00:00Z", NOW);
        long since = w.since().toEpochMilli();
        long until = w.until().toEpochMilli();

        assertThat(w.contains(since)).isTrue();
        assertThat(w.contains(until - 1)).isTrue();
        assertThat(w.contains(until)).isFalse();
        assertThat(w.contains(since - 1)).isFalse();
    }

    @Test
    void aWindowEndingBeforeItStartsIsRefused() {
        assertThatThrownBy(() -> ReplayWindow.parse("1h", "2h", NOW)).isInstanceOf(ReplayException.class)
                .hasMessageContaining("window is empty");
        assertThatThrownBy(() -> ReplayWindow.parse("1h", "1h", NOW)).isInstanceOf(ReplayException.class);
    }

    @Test
    void unreadableBoundsNameTheFlagAndBothForms() {
        assertThatThrownBy(() -> ReplayWindow.parse("yesterday", null, NOW)).isInstanceOf(ReplayException.class)
                .hasMessageContaining("--since").hasMessageContaining("ISO-8601").hasMessageContaining("'yesterday'");
        assertThatThrownBy(() -> ReplayWindow.parse("1h", "2026-13-07T01:00:00Z", NOW)).isInstanceOf(ReplayException.class)
                .hasMessageContaining("--until").hasMessageContaining("not an ISO-8601 instant");
        assertThatThrownBy(() -> ReplayWindow.parse(" ", null, NOW)).isInstanceOf(ReplayException.class)
                .hasMessageContaining("--since is required");
    }
}
