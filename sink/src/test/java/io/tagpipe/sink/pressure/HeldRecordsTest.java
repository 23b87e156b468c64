package io.tagpipe.sink.pressure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The backlog age through a batch's life: filled, in flight, acknowledged or failed and read again. */
class HeldRecordsTest {
    private static final long NOW = 10_000_000;
    private final InsertRecorder recorder = new InsertRecorder(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    private final HeldRecords held = new HeldRecords(recorder);

    private long age() {
        return recorder.drain().backlogAgeMs();
    }

    @Test
    void theOldestOfTheFillingAndTheInFlightBatchUntilAcknowledged() {
        held.polled(NOW - 5_000);
        held.polled(NOW - 9_000);
        held.polled(-1); // no timestamp: ignored
        assertThat(age()).isEqualTo(9_000);
        held.handedOver();
        held.polled(NOW - 1_000);
        assertThat(age()).isEqualTo(9_000);
        held.acknowledged();
        assertThat(age()).isEqualTo(1_000);
        held.handedOver();
        held.acknowledged();
        assertThat(age()).isZero();
    }

    @Test
    void aFailedDeliveryKeepsTheOldestUntilItsRowsAreIn() {
        held.polled(NOW - 30_000);
        held.handedOver();
        held.polled(NOW - 2_000);
        held.failed();
        assertThat(age()).isEqualTo(30_000);
        held.polled(NOW - 30_000); // read again after the pause
        held.handedOver();
        held.acknowledged();
        assertThat(age()).isZero();
    }

    @Test
    void revokedPartitionsAreNoLongerThisSinksBacklog() {
        held.polled(NOW - 30_000);
        held.handedOver();
        held.failed();
        held.revoked();
        assertThat(age()).isZero();
    }
}
