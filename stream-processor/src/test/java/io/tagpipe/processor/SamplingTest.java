package io.tagpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SamplingTest {
    @Test
    void fractionIsInUnitIntervalAndStable() {
        for (int i = 0; i < 10_000; i++) {
            double f = Sampling.fraction("k" + i);
            assertThat(f).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
            assertThat(Sampling.fraction("k" + i)).isEqualTo(f);
        }
    }

    @Test
    void knownVectorsPinTheAlgorithmForOtherImplementations() {
        // computed by an independent Python implementation of the README's algorithm
        assertThat(Sampling.fraction("")).isEqualTo(0.6187469587914699);
        assertThat(Sampling.fraction("trace-1")).isEqualTo(0.3570658627361387);
        assertThat(Sampling.fraction("01HZY3K5Q8")).isEqualTo(0.7190394027237889);
    }

    @Test
    void spreadsEvenlyOverTenBuckets() {
        int[] buckets = new int[10];
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            buckets[(int) (Sampling.fraction("id-" + i) * 10)]++;
        }
        for (int b : buckets) {
            assertThat(b).isBetween(n / 10 - 600, n / 10 + 600);
        }
    }
}
