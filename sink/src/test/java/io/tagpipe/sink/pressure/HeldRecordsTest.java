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
    private final HeldRecords held = new HeldRecords(recorder, 2);

    private long age() {
        return recorder.drain().backlogAgeMs();
    }

    @Test
    void theOldestOfTheFillingAndTheInFlightBatchUntilAcknowledged() {
        held.polled(0, NOW - 5_000);
        held.polled(0, NOW - 9_000);
        held.polled(0, -1); // no timestamp: ignored
        assertThat(age()).isEqualTo(9_000);
        held.handedOver(0);
        held.polled(0, NOW - 1_000);
        assertThat(age()).isEqualTo(9_000);
        held.acknowledged(0);
        assertThat(age()).isEqualTo(1_000);
        held.handedOver(0);
        held.acknowledged(0);
        assertThat(age()).isZero();
    }

    @Test
    void aFailedDeliveryKeepsTheOldestUntilItsRowsAreIn() {
        held.polled(0, NOW - 30_000);
        held.handedOver(0);
        held.polled(0, NOW - 2_000);
        held.failed();
        assertThat(age()).isEqualTo(30_000);
        held.polled(0, NOW - 30_000); // read again after the pause
        held.handedOver(0);
        held.acknowledged(0);
        assertThat(age()).isZero();
    }

    @Test
    void withTwoSlotsTheOldestOfEither() {
        held.polled(1, NOW - 4_000); // the top lane's slot
        held.polled(0, NOW - 20_000);
        assertThat(age()).isEqualTo(20_000);
        held.handedOver(0);
        held.acknowledged(0);
        assertThat(age()).as("slot 1 still holds its record").isEqualTo(4_000);
        held.handedOver(1);
        held.polled(0, NOW - 3_000);
        held.failed(); // both slots' records will be read again
        assertThat(age()).isEqualTo(4_000);
        held.acknowledged(1);
        assertThat(age()).as("a failure keeps what was in flight as being filled again").isEqualTo(4_000);
    }

    @Test
    void revokedPartitionsAreNoLongerThisSinksBacklog() {
        held.polled(0, NOW - 30_000);
        held.handedOver(0);
        held.failed();
        held.revoked();
        assertThat(age()).isZero();
    }
}
