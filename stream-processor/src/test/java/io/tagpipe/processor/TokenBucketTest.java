package io.tagpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static int admitted(double rate, int records, long spacingMillis) {
        TokenBucket b = null;
        int ok = 0;
        for (int i = 0; i < records; i++) {
            TokenBucket.Admission a = TokenBucket.take(b, 1_000_000 + i * spacingMillis, rate);
            b = a.next();
            ok += a.admitted() ? 1 : 0;
        }
        return ok;
    }

    @Test
    void aBurstGetsOneSecondOfTokens() {
        assertThat(admitted(100, 1_000, 0)).isEqualTo(100);
    }

    @Test
    void sustainedTrafficIsCappedAtTheRate() {
        // 10 s of 1000 rec/s against a cap of 200/s: 200 initial + 200 per second refilled
        int ok = admitted(200, 10_000, 1);
        assertThat(ok).isBetween(200 + 200 * 10 - 2, 200 + 200 * 10);
    }

    @Test
    void trafficBelowTheCapPassesEntirely() {
        assertThat(admitted(100, 1_000, 20)).isEqualTo(1_000);
    }

    @Test
    void zeroRateAdmitsNothing() {
        assertThat(admitted(0, 100, 1_000)).isZero();
    }

    @Test
    void timeNeverGoesBackwardsSoLateRecordsDoNotRefill() {
        TokenBucket.Admission a = TokenBucket.take(null, 10_000, 1);
        assertThat(a.admitted()).isTrue();
        TokenBucket.Admission late = TokenBucket.take(a.next(), 5_000, 1);
        assertThat(late.admitted()).isFalse();
        assertThat(late.next().lastMillis()).isEqualTo(10_000);
        assertThat(TokenBucket.take(late.next(), 11_000, 1).admitted()).isTrue();
    }
}
