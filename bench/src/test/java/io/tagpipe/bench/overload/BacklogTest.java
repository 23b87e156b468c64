package io.tagpipe.bench.overload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import io.tagpipe.bench.overload.Backlog.Sample;
import org.junit.jupiter.api.Test;

class BacklogTest {
    /** A backlog growing 100 rec/s until {@code flatFrom}, flat after; level 2 from {@code engaged} until {@code down}. */
    private static Backlog run(double flatFrom, double engaged, double down) {
        List<Sample> s = new ArrayList<>();
        for (int t = 0; t <= 90; t += 2) {
            long records = Math.round(100 * Math.min(t, flatFrom));
            s.add(new Sample(t, records, t >= engaged && t < down ? 2 : 0));
        }
        return new Backlog(s);
    }

    @Test
    void growthIsTheLeastSquaresSlopeOverTheStretch() {
        Backlog b = run(40, 10, 70);
        assertThat(b.growthPerSecond(0, 30)).isCloseTo(100, within(1e-9));
        assertThat(b.growthPerSecond(40, 60)).isCloseTo(0, within(1e-9));
    }

    @Test
    void growthLeavesOutUnknownSamplesAndIsNanWithFewerThanTwo() {
        Backlog b = new Backlog(List.of(new Sample(0, 0, 0), new Sample(2, -1, 0), new Sample(4, 400, 0)));
        assertThat(b.growthPerSecond(0, 4)).isCloseTo(100, within(1e-9));
        assertThat(b.growthPerSecond(1, 3)).isNaN();
        assertThat(b.growthPerSecond(3, 10)).isNaN();
    }

    @Test
    void engagedAtIsTheFirstSampleAboveLevelZero() {
        assertThat(run(40, 10, 70).engagedAt()).isEqualTo(10);
        assertThat(run(40, 1000, 1000).engagedAt()).isNaN();
    }

    @Test
    void levelZeroAfterCountsFromTheFloodEnd() {
        assertThat(run(40, 10, 70).levelZeroAfter(60)).isEqualTo(10);
        assertThat(run(40, 10, 1000).levelZeroAfter(60)).as("still up at the last sample").isNaN();
        assertThat(run(40, 1000, 1000).levelZeroAfter(60)).as("never rose").isZero();
    }

    @Test
    void stoppedGrowingNeedsAFlatLastStretchAfterShedding() {
        assertThat(run(25, 10, 70).stoppedGrowing(60, 30, 1000, 0.05)).isTrue();
        assertThat(run(60, 10, 70).stoppedGrowing(60, 30, 1000, 0.05)).as("100 rec/s = 10 % of the input").isFalse();
        assertThat(run(60, 10, 70).stoppedGrowing(60, 30, 5000, 0.05)).as("100 rec/s = 2 % of the input").isTrue();
        assertThat(run(25, 40, 70).stoppedGrowing(60, 30, 1000, 0.05)).as("engaged inside the stretch").isFalse();
    }

    @Test
    void peakAndAtReadTheSamples() {
        Backlog b = run(40, 10, 70);
        assertThat(b.peak(20)).isEqualTo(2000);
        assertThat(b.peak(90)).isEqualTo(4000);
        assertThat(b.at(31)).isEqualTo(3000);
        assertThat(b.maxLevel()).isEqualTo(2);
        assertThat(new Backlog(List.of()).at(10)).isEqualTo(-1);
    }

    @Test
    void stepRateRunsFromTheFirstToTheLastStepOfTheCount() {
        List<double[]> counts = List.of(new double[] {0, 100}, new double[] {1, 100}, new double[] {2, 600},
                new double[] {3, 600}, new double[] {4, 600}, new double[] {5, 1100}, new double[] {6, 1100});
        assertThat(Backlog.stepRate(counts)).isCloseTo(500 / 3.0, within(1e-9));
        assertThat(Backlog.stepRate(counts.subList(0, 4))).as("one step only").isNaN();
        assertThat(Backlog.stepRate(List.of(new double[] {0, 5}, new double[] {1, 5}))).isNaN();
    }
}
