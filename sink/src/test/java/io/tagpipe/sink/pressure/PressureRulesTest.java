package io.tagpipe.sink.pressure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The signal → wanted level mapping, at and around each default threshold. */
class PressureRulesTest {
    private static final PressureRules RULES = PressureRules.defaults();

    @Test
    void latencyStepsAtEachThreshold() {
        assertThat(RULES.evaluate(Signals.quiet().withInsertLatencyMs(1_999)).level()).isZero();
        assertThat(RULES.evaluate(Signals.quiet().withInsertLatencyMs(2_000)).level()).isEqualTo(1);
        assertThat(RULES.evaluate(Signals.quiet().withInsertLatencyMs(14_999)).level()).isEqualTo(2);
        assertThat(RULES.evaluate(Signals.quiet().withInsertLatencyMs(30_000)).level()).isEqualTo(4);
    }

    @Test
    void partsRatioCountsAsADatabaseSignal() {
        PressureRules.Wanted w = RULES.evaluate(Signals.quiet().withParts(0.72, "logs (30, 20261202)"));
        assertThat(w.level()).isEqualTo(2);
        assertThat(w.databaseLevel()).isEqualTo(2);
    }

    @Test
    void mergesAndDiskRaiseTheLevelButDoNotUngateTheBacklog() {
        PressureRules.Wanted w = RULES.evaluate(Signals.quiet().withMerges(20).withFreeDiskRatio(0.09)
                .withBacklogAgeMs(3_600_000));
        assertThat(w.level()).isEqualTo(2);
        assertThat(w.databaseLevel()).isZero();
        assertThat(w.reasons()).noneMatch(r -> r.startsWith("backlog"));
    }

    @Test
    void freeDiskFallsTowardsHigherLevels() {
        assertThat(RULES.evaluate(Signals.quiet().withFreeDiskRatio(0.5)).level()).isZero();
        assertThat(RULES.evaluate(Signals.quiet().withFreeDiskRatio(0.2)).level()).isEqualTo(1);
        assertThat(RULES.evaluate(Signals.quiet().withFreeDiskRatio(0.01)).level()).isEqualTo(4);
    }

    @Test
    void aFailedProbeWantsItsConfiguredLevel() {
        PressureRules.Wanted w = RULES.evaluate(Signals.quiet().withProbeError("Read timed out"));
        assertThat(w.level()).isEqualTo(RULES.probeFailedLevel());
        assertThat(w.reasons()).containsExactly("probe failed: Read timed out");
    }

    @Test
    void anUnreachableServerIsAnOutageNotLoad_itShedsOnlyOnceTheBacklogOutlastsTheFirstStep() {
        Signals down = Signals.quiet().withUnreachable(true).withProbeError("Connection refused");
        assertThat(RULES.evaluate(down.withBacklogAgeMs(59_999)).level()).as("a short outage: Kafka holds it").isZero();
        PressureRules.Wanted longOutage = RULES.evaluate(down.withBacklogAgeMs(300_000));
        assertThat(longOutage.level()).isEqualTo(2);
        assertThat(longOutage.databaseLevel()).isZero();
        assertThat(longOutage.reasons()).containsExactly("backlog age 300.0 s >= 300.0 s while the database is unreachable");
        // a server that answers with failures or times out is load: it raises the level at once
        assertThat(RULES.evaluate(Signals.quiet().withInsertFailures(1)).level()).isEqualTo(1);
    }

    @Test
    void invalidRulesReportEveryErrorAtOnce() {
        assertThatThrownBy(() -> new PressureRules(Ladder.rising(5, 4, 3, 2), Ladder.rising(1, 2), RULES.partsRatio(),
                RULES.merges(), Ladder.rising(0.2, 0.1, 0.05, 0.02), RULES.backlogAgeMs(), 9,
                Duration.ofSeconds(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("insert latency thresholds must be strictly rising")
                .hasMessageContaining("insert failures needs 4 thresholds, got 2")
                .hasMessageContaining("free disk ratio thresholds must be strictly rising")
                .hasMessageContaining("probe-failed level must be 0..4, got 9")
                .hasMessageContaining("calm and hold must be >= 0");
    }
}
