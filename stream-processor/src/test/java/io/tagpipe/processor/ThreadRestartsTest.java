package io.tagpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class ThreadRestartsTest {
    private Instant now = Instant.parse("2026-11-26T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void aTransientFailureGetsAFreshThread() {
        ThreadRestarts r = new ThreadRestarts(3, Duration.ofMinutes(10), clock);
        assertThat(r.replaceAfterFailure()).isTrue();
    }

    @Test
    void failuresThatKeepComingStopTheInstance() {
        ThreadRestarts r = new ThreadRestarts(3, Duration.ofMinutes(10), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(r.replaceAfterFailure()).as("failure %d", i + 1).isTrue();
            now = now.plusSeconds(30);
        }
        assertThat(r.replaceAfterFailure()).as("4th failure within 10 min").isFalse();
    }

    @Test
    void oldFailuresLeaveTheWindow() {
        ThreadRestarts r = new ThreadRestarts(2, Duration.ofMinutes(10), clock);
        assertThat(r.replaceAfterFailure()).isTrue();
        assertThat(r.replaceAfterFailure()).isTrue();
        assertThat(r.replaceAfterFailure()).isFalse();
        now = now.plus(Duration.ofMinutes(11));
        assertThat(r.replaceAfterFailure()).as("11 calm minutes later").isTrue();
    }

    @Test
    void zeroMeansStopAtTheFirstFailure() {
        assertThat(new ThreadRestarts(0, Duration.ofMinutes(1), clock).replaceAfterFailure()).isFalse();
        assertThatThrownBy(() -> new ThreadRestarts(-1, Duration.ofMinutes(1), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
