package io.tagpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.Level;
import io.tagpipe.wire.StatsRecord;

class DeciderTest {

    private static Policy policy(Map<String, ?> fields) {
        try {
            return Policy.of(fields);
        } catch (InvalidPolicyException e) {
            throw new AssertionError(e);
        }
    }

    private static Envelope log(String id, String level, String trace) {
        return Envelope.log(id, "app", 1_000).level(level).traceId(trace).build();
    }

    private static Envelope metric(String id) {
        return Envelope.metric(id, "app", 1_000).name("cpu").value(0.5).build();
    }

    @Test
    void dropsDebugWhenMinLevelIsInfo() {
        Decision d = Decider.decide(policy(Map.of("min_level", "INFO")), log("r1", "DEBUG", null));
        assertThat(d.keep()).isFalse();
        assertThat(d.reason()).isEqualTo(StatsRecord.MIN_LEVEL);
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void everyLevelAgainstMinLevelWarnWithNothingAlwaysKept(Level level) {
        Policy p = policy(Map.of("min_level", "WARN", "always_keep_levels", List.of()));
        Decision d = Decider.decide(p, log("r-" + level, level.name(), null));
        assertThat(d.keep()).isEqualTo(level.atLeast(Level.WARN));
        assertThat(d.reason()).isEqualTo(level.atLeast(Level.WARN) ? StatsRecord.KEPT : StatsRecord.MIN_LEVEL);
    }

    @Test
    void levelSpellingsOfOtherLoggersAreUnderstood() {
        Policy p = policy(Map.of("min_level", "INFO", "always_keep_levels", List.of()));
        assertThat(Decider.decide(p, log("a", "warning", null)).keep()).isTrue();
        assertThat(Decider.decide(p, log("b", "fine", null)).reason()).isEqualTo(StatsRecord.MIN_LEVEL);
    }

    @Test
    void missingOrUnknownLevelIsNeverDroppedForItsLevel() {
        Policy p = policy(Map.of("min_level", "FATAL", "always_keep_levels", List.of()));
        assertThat(Decider.decide(p, log("a", null, null)).keep()).isTrue();
        assertThat(Decider.decide(p, log("b", "LOUD", null)).keep()).isTrue();
    }

    @Test
    void rateZeroDropsEveryOrdinaryRecordAsSampled() {
        Policy p = policy(Map.of("sample_rate", 0));
        IntStream.range(0, 500).forEach(i -> {
            Decision d = Decider.decide(p, log("id-" + i, "INFO", null));
            assertThat(d.keep()).isFalse();
            assertThat(d.reason()).isEqualTo(StatsRecord.SAMPLED);
        });
    }

    @Test
    void rateOneKeepsEveryOrdinaryRecord() {
        Policy p = policy(Map.of("sample_rate", 1));
        IntStream.range(0, 500).forEach(i -> assertThat(Decider.decide(p, log("id-" + i, "INFO", null)).keep()).isTrue());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.1, 0.25, 0.5, 0.9})
    void fractionalRateKeepsExactlyThePredictedRecordsAndAboutThatShare(double rate) {
        Policy p = policy(Map.of("sample_rate", rate));
        int n = 20_000;
        long kept = 0;
        for (int i = 0; i < n; i++) {
            String id = "rec-" + i;
            Decision d = Decider.decide(p, log(id, "INFO", null));
            assertThat(d.keep()).isEqualTo(Sampling.fraction(id) < rate);
            assertThat(d.sampleRate()).isEqualTo(rate);
            kept += d.keep() ? 1 : 0;
        }
        assertThat((double) kept / n).isCloseTo(rate, org.assertj.core.data.Offset.offset(0.02));
    }

    @Test
    void everyRecordOfATraceGetsTheSameDecision() {
        Policy p = policy(Map.of("sample_rate", 0.3));
        for (int t = 0; t < 200; t++) {
            String trace = "trace-" + t;
            boolean first = Decider.decide(p, log("a" + t, "INFO", trace)).keep();
            for (int r = 0; r < 10; r++) {
                assertThat(Decider.decide(p, log("x" + t + "-" + r, "DEBUG", trace)).keep()).isEqualTo(first);
            }
            assertThat(first).isEqualTo(Sampling.fraction(trace) < 0.3);
        }
    }

    @Test
    void withoutATraceTheRecordIdIsTheSamplingKey() {
        Policy p = policy(Map.of("sample_rate", 0.5));
        for (int i = 0; i < 200; i++) {
            assertThat(Decider.decide(p, log("id" + i, "INFO", "")).keep()).isEqualTo(Sampling.fraction("id" + i) < 0.5);
        }
    }

    @Test
    void alwaysKeptLevelsAreNeitherSampledNorCapped() {
        Policy p = policy(Map.of("sample_rate", 0, "max_records_per_sec", 0, "min_level", "FATAL"));
        Decision d = Decider.decide(p, log("e", "ERROR", null));
        assertThat(d.keep()).isTrue();
        assertThat(d.needsToken()).isFalse();
        assertThat(d.sampleRate()).isEqualTo(1.0);
        assertThat(Decider.decide(p, log("w", "WARN", null)).reason()).isEqualTo(StatsRecord.MIN_LEVEL);
    }

    @Test
    void customAlwaysKeepLevelsReplaceTheDefault() {
        Policy p = policy(Map.of("sample_rate", 0, "always_keep_levels", List.of("WARN")));
        assertThat(Decider.decide(p, log("w", "WARN", null)).keep()).isTrue();
        assertThat(Decider.decide(p, log("e", "ERROR", null)).reason()).isEqualTo(StatsRecord.SAMPLED);
    }

    @Test
    void dropImportanceDropsEverythingEvenErrorsAndMetrics() {
        Policy p = policy(Map.of("importance", "drop"));
        assertThat(Decider.decide(p, log("e", "FATAL", null)).reason()).isEqualTo(StatsRecord.POLICY_DROP);
        assertThat(Decider.decide(p, metric("m")).reason()).isEqualTo(StatsRecord.POLICY_DROP);
    }

    @Test
    void lowImportanceDefaultsDropDebugAndSampleAtATenth() {
        Policy p = policy(Map.of("importance", "low"));
        assertThat(Decider.decide(p, log("d", "DEBUG", null)).reason()).isEqualTo(StatsRecord.MIN_LEVEL);
        for (int i = 0; i < 300; i++) {
            assertThat(Decider.decide(p, log("i" + i, "INFO", null)).keep()).isEqualTo(Sampling.fraction("i" + i) < 0.1);
        }
        assertThat(Decider.decide(p, log("e", "ERROR", null)).keep()).isTrue();
    }

    @Test
    void metricsFollowTheirOwnRateAndIgnoreLevelRules() {
        Policy keepAll = policy(Map.of("importance", "low", "min_level", "FATAL"));
        assertThat(Decider.decide(keepAll, metric("m1")).keep()).isTrue();
        Policy half = policy(Map.of("metrics_sample_rate", 0.5, "sample_rate", 0));
        for (int i = 0; i < 300; i++) {
            Decision d = Decider.decide(half, metric("m" + i));
            assertThat(d.keep()).isEqualTo(Sampling.fraction("m" + i) < 0.5);
            assertThat(d.sampleRate()).isEqualTo(0.5);
        }
    }

    @Test
    void keptOrdinaryRecordsNeedATokenOnlyWhenTheAppIsCapped() {
        assertThat(Decider.decide(policy(Map.of()), log("a", "INFO", null)).needsToken()).isFalse();
        Decision capped = Decider.decide(policy(Map.of("max_records_per_sec", 10)), log("a", "INFO", null));
        assertThat(capped.needsToken()).isTrue();
        assertThat(capped.afterRateLimit(false).reason()).isEqualTo(StatsRecord.RATE_LIMIT);
        assertThat(capped.afterRateLimit(false).keep()).isFalse();
        assertThat(capped.afterRateLimit(true).keep()).isTrue();
    }

    @Test
    void sameInputsAlwaysDecideTheSame() {
        Policy p = policy(Map.of("sample_rate", 0.37));
        for (int i = 0; i < 100; i++) {
            Envelope e = log("r" + i, "INFO", null);
            assertThat(Decider.decide(p, e)).isEqualTo(Decider.decide(p, e));
        }
    }
}
