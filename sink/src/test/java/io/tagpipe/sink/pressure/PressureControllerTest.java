package io.tagpipe.sink.pressure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.tagpipe.wire.Pressure;
import org.junit.jupiter.api.Test;

/** The hysteresis, fed recorded signal sequences one sample per period. */
class PressureControllerTest {
    private static final long PERIOD = 5_000;
    private static final PressureRules RULES = PressureRules.defaults();
    private static final long CALM = RULES.calm().toMillis();
    private static final Signals HEALTHY = Signals.quiet().withParts(0.1, "logs").withMerges(1).withFreeDiskRatio(0.8);
    private static final Signals FROZEN = HEALTHY.withInsertLatencyMs(40_000);

    /** Feeds the samples at PERIOD intervals from t = PERIOD; returns the decision after each. */
    private static List<PressureController.Decision> run(PressureController c, List<Signals> samples) {
        List<PressureController.Decision> out = new ArrayList<>();
        long t = 0;
        for (Signals s : samples) {
            t += PERIOD;
            out.add(c.update(s, t));
        }
        return out;
    }

    private static List<Signals> repeat(Signals s, int n) {
        List<Signals> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(s);
        }
        return out;
    }

    private static List<Signals> concat(List<Signals> a, List<Signals> b) {
        List<Signals> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<Integer> levels(List<PressureController.Decision> ds) {
        return ds.stream().map(PressureController.Decision::level).toList();
    }

    @Test
    void risesToTheWantedLevelInTheSamePeriod() {
        PressureController c = new PressureController(RULES, 0);
        List<PressureController.Decision> ds = run(c, List.of(HEALTHY, HEALTHY, FROZEN));
        assertThat(levels(ds)).containsExactly(0, 0, Pressure.MAX);
        assertThat(ds.get(2).sinceMs()).isEqualTo(3 * PERIOD);
        assertThat(ds.get(2).reasons()).anySatisfy(r -> assertThat(r).startsWith("insert latency 40.0 s >= 30.0 s"));
    }

    @Test
    void risesFurtherAtOnceEvenWithinTheHoldTime() {
        PressureController c = new PressureController(RULES, 0);
        List<PressureController.Decision> ds = run(c, List.of(HEALTHY.withInsertLatencyMs(2_500), FROZEN));
        assertThat(levels(ds)).containsExactly(1, 4);
    }

    @Test
    void fallsOneStepPerCalmPeriodOnceTheDatabaseIsHealthy() {
        PressureController c = new PressureController(RULES, 0);
        int calmPeriods = (int) (CALM / PERIOD);
        List<PressureController.Decision> ds = run(c, concat(List.of(FROZEN), repeat(HEALTHY, 4 * (calmPeriods + 1) + 3)));
        List<Integer> levels = levels(ds);
        // each level is kept until the signals wanted less for a whole calm period, then drops by one
        for (int i = 1; i < levels.size(); i++) {
            assertThat(levels.get(i - 1) - levels.get(i)).isBetween(0, 1);
        }
        int firstDrop = levels.indexOf(3);
        assertThat((long) firstDrop * PERIOD).isGreaterThanOrEqualTo(CALM);
        assertThat(levels.get(levels.size() - 1)).isZero();
        assertThat(ds.get(1).reasons()).anySatisfy(r -> assertThat(r).startsWith("calming down: signals want 0"));
    }

    @Test
    void respectsTheHoldTimeWhenItIsLongerThanTheCalm() {
        PressureController c = new PressureController(RULES.withTiming(Duration.ofSeconds(5), Duration.ofSeconds(60)), 0);
        List<Integer> levels = levels(run(c, concat(List.of(FROZEN), repeat(HEALTHY, 20))));
        // entered at t=5 s; calm after 5 s but the hold keeps level 4 until t >= 65 s (sample 13)
        assertThat(levels.subList(0, 12)).containsOnly(4);
        assertThat(levels.get(12)).isEqualTo(3);
    }

    @Test
    void healthyDatabaseWithALargeDrainingBacklogReturnsToZeroWithinTheBound() {
        PressureController c = new PressureController(RULES, 0);
        List<Signals> samples = new ArrayList<>(repeat(FROZEN.withBacklogAgeMs(3_600_000), 6));
        // the database is fine again; the backlog of an hour drains slowly (a minute per period)
        long age = 3_600_000;
        for (int i = 0; i < 60; i++) {
            age -= 60_000 - PERIOD;
            samples.add(HEALTHY.withBacklogAgeMs(age));
        }
        List<Integer> levels = levels(run(c, samples));
        assertThat(levels.get(5)).isEqualTo(Pressure.MAX);
        long bound = Pressure.MAX * (Math.max(CALM, RULES.hold().toMillis()) + PERIOD);
        int periodsToZero = levels.subList(6, levels.size()).indexOf(0) + 1;
        assertThat(periodsToZero).isPositive();
        assertThat(periodsToZero * PERIOD).isLessThanOrEqualTo(bound);
    }

    @Test
    void backlogAgeRaisesTheLevelOnlyWhileADatabaseSignalIsUp() {
        assertThat(RULES.evaluate(HEALTHY.withBacklogAgeMs(3_600_000)).level()).isZero();
        PressureRules.Wanted w = RULES.evaluate(HEALTHY.withBacklogAgeMs(3_600_000).withInsertLatencyMs(2_000));
        assertThat(w.level()).isEqualTo(Pressure.MAX);
        assertThat(w.databaseLevel()).isEqualTo(1);
        assertThat(w.reasons()).anySatisfy(r -> assertThat(r).startsWith("backlog age 3600.0 s"));
    }

    @Test
    void flappingInputDoesNotFlapTheLevel() {
        PressureController c = new PressureController(RULES, 0);
        List<Signals> samples = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            samples.add(i % 2 == 0 ? HEALTHY.withInsertFailures(2) : HEALTHY);
        }
        List<Integer> levels = levels(run(c, samples));
        assertThat(levels).containsOnly(2);
    }

    @Test
    void aSignalThatReturnsDuringTheCalmRestartsIt() {
        PressureController c = new PressureController(RULES, 0);
        int calmPeriods = (int) (CALM / PERIOD);
        List<Signals> samples = concat(List.of(FROZEN), repeat(HEALTHY, calmPeriods - 1));
        samples = concat(samples, List.of(FROZEN));
        samples = concat(samples, repeat(HEALTHY, calmPeriods - 1));
        assertThat(levels(run(c, samples))).containsOnly(4);
    }

    @Test
    void eachDecisionNamesItsSignals() {
        Signals all = Signals.quiet().withInsertLatencyMs(6_000).withInsertFailures(1).withParts(0.9, "logs (30, 20261202)")
                .withMerges(70).withFreeDiskRatio(0.04).withProbeError("timeout");
        PressureController.Decision d = new PressureController(RULES, 0).update(all, 1);
        assertThat(d.level()).isEqualTo(3);
        assertThat(d.reasons()).containsExactly(
                "insert latency 6.0 s >= 5.0 s",
                "insert failures 1 >= 1",
                "active parts 90 % of parts_to_delay_insert >= 85 % in logs (30, 20261202)",
                "merges in progress 70 >= 64",
                "free disk 4 % <= 5 %",
                "probe failed: timeout");
    }

    @Test
    void unknownDiskAndPartsWantNothing() {
        assertThat(RULES.evaluate(Signals.quiet()).level()).isZero();
        assertThat(RULES.evaluate(Signals.quiet()).reasons()).isEmpty();
    }
}
