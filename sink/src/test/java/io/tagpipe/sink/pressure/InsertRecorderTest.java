package io.tagpipe.sink.pressure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class InsertRecorderTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId z) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(now.get()); }
    };
    private final InsertRecorder recorder = new InsertRecorder(clock);

    @Test
    void slowestInsertAndDatabaseFailuresPerPeriod() {
        long a = recorder.started();
        now.addAndGet(300);
        recorder.finished(a, false);
        long b = recorder.started();
        now.addAndGet(1_200);
        recorder.finished(b, true);
        long c = recorder.started();
        now.addAndGet(50);
        recorder.finished(c, false);
        assertThat(recorder.drain()).isEqualTo(new InsertRecorder.Period(1_200, 1, 0, false));
        assertThat(recorder.drain()).isEqualTo(new InsertRecorder.Period(0, 0, 0, false));
    }

    @Test
    void theRowCapFollowsTheRecentPaceOfSuccessfulInserts() {
        assertThat(recorder.rowCap(50_000, 2_000, 1_000)).as("nothing measured yet").isEqualTo(50_000);
        long a = recorder.started();
        now.addAndGet(10_000);
        recorder.succeeded(a, 30_000); // 3,000 rows/s: a starved server
        assertThat(recorder.rowCap(50_000, 2_000, 1_000)).isEqualTo(6_000);
        assertThat(recorder.rowCap(50_000, 0, 1_000)).as("target 0 = off").isEqualTo(50_000);
        assertThat(recorder.rowCap(50_000, 100, 1_000)).as("never below the floor").isEqualTo(1_000);
        long b = recorder.started();
        now.addAndGet(100);
        recorder.succeeded(b, 50_000); // 500,000 rows/s: healthy again
        assertThat(recorder.rowCap(50_000, 2_000, 1_000)).as("the average moved up; capped by the maximum").isEqualTo(50_000);
        assertThat(recorder.drain().failures()).isZero();
    }

    @Test
    void aRefusedConnectionIsReportedApartFromFailures() {
        long a = recorder.started();
        now.addAndGet(5);
        recorder.finished(a, true, true);
        assertThat(recorder.drain()).isEqualTo(new InsertRecorder.Period(5, 0, 0, true));
        assertThat(recorder.drain().unreachable()).as("per period").isFalse();
    }

    @Test
    void aRunningInsertCountsWithItsAgeSoFar() {
        recorder.started();
        now.addAndGet(7_000);
        assertThat(recorder.drain().maxLatencyMs()).isEqualTo(7_000);
        now.addAndGet(1_000);
        assertThat(recorder.drain().maxLatencyMs()).isEqualTo(8_000);
    }

    @Test
    void twoInsertsAtOnce_theOlderStillCountsAfterTheNewerEnded() {
        long a = recorder.started();
        now.addAndGet(4_000);
        long b = recorder.started();
        now.addAndGet(500);
        recorder.finished(b, false);
        assertThat(recorder.drain().maxLatencyMs()).as("a has run 4.5 s and still runs").isEqualTo(4_500);
        now.addAndGet(500);
        recorder.finished(a, false);
        assertThat(recorder.drain().maxLatencyMs()).isEqualTo(5_000);
        assertThat(recorder.drain().maxLatencyMs()).as("nothing running").isZero();
    }

    @Test
    void anUnpacedInsertCountsForLatencyButNotForTheRowCap() {
        long a = recorder.started();
        now.addAndGet(1_000);
        recorder.succeeded(a, 50, false); // the top lane's own small INSERT: 50 rows/s says nothing about capacity
        assertThat(recorder.rowCap(50_000, 2_000, 1_000)).isEqualTo(50_000);
        assertThat(recorder.drain().maxLatencyMs()).isEqualTo(1_000);
    }

    @Test
    void backlogAgeIsTheAgeOfTheOldestHeldRecord() {
        recorder.holding(now.get() - 42_000);
        assertThat(recorder.drain().backlogAgeMs()).isEqualTo(42_000);
        recorder.holding(Long.MAX_VALUE);
        assertThat(recorder.drain().backlogAgeMs()).isZero();
    }
}
