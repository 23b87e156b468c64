package io.tagpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.tagpipe.wire.policy.Importance;
import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.Pressure;
import io.tagpipe.wire.StatsRecord;

/** {@link Decider} under database pressure: the table of {@link Pressure}, record by record. */
class DeciderShedTest {
    private static final int N = 2_000;
    private static final double RATE = 0.6;

    /** What survives per pressure level 0..4: F full policy, Q quarter rate, A always-kept only, N nothing. */
    private static final Map<Importance, String> CONTRACT = Map.of(
            Importance.CRITICAL, "FFFFF",
            Importance.HIGH, "FFFFF",
            Importance.NORMAL, "FFQAN",
            Importance.LOW, "FQANN");

    private static Policy policy(Map<String, ?> fields) {
        try {
            return Policy.of(fields);
        } catch (InvalidPolicyException e) {
            throw new AssertionError(e);
        }
    }

    private static Envelope log(String id, String level) {
        return Envelope.log(id, "app", 1_000).level(level).build();
    }

    /** Expected keep of one record, from the contract letter and the level-0 rule written out here. */
    private static boolean expectedKeep(char survives, Policy p, String id, boolean alwaysKept) {
        boolean level0 = alwaysKept || Sampling.fraction(id) < p.sampleRate();
        return switch (survives) {
            case 'F' -> level0;
            case 'Q' -> alwaysKept || Sampling.fraction(id) < p.sampleRate() / 4;
            case 'A' -> alwaysKept;
            default -> false;
        };
    }

    @ParameterizedTest
    @EnumSource(value = Importance.class, names = {"CRITICAL", "HIGH", "NORMAL", "LOW"})
    void everyImportanceAtEveryLevelForAlwaysKeptAndOrdinaryRecords(Importance importance) {
        Policy p = policy(Map.of("importance", importance.label(), "sample_rate", RATE, "min_level", "TRACE"));
        for (int level = 0; level <= Pressure.MAX; level++) {
            char survives = CONTRACT.get(importance).charAt(level);
            for (String recordLevel : List.of("ERROR", "FATAL", "INFO", "DEBUG")) {
                boolean alwaysKept = recordLevel.equals("ERROR") || recordLevel.equals("FATAL");
                for (int i = 0; i < N; i++) {
                    String id = recordLevel + i;
                    Decision d = Decider.decide(p, log(id, recordLevel), level);
                    boolean level0 = alwaysKept || Sampling.fraction(id) < RATE;
                    String at = importance + " level " + level + " " + id;
                    assertThat(d.keep()).as(at).isEqualTo(expectedKeep(survives, p, id, alwaysKept));
                    String reason = d.keep() ? StatsRecord.KEPT : level0 ? StatsRecord.SHED : StatsRecord.SAMPLED;
                    assertThat(d.reason()).as(at).isEqualTo(reason);
                    if (d.keep()) {
                        double rate = alwaysKept ? 1.0 : survives == 'Q' ? RATE / 4 : RATE;
                        assertThat(d.sampleRate()).as(at).isEqualTo(rate);
                    }
                }
            }
        }
    }

    @Test
    void survivorsOfEachLevelAreASubsetOfTheLevelBelow() {
        for (Importance importance : CONTRACT.keySet()) {
            Policy p = policy(Map.of("importance", importance.label(), "sample_rate", RATE));
            for (int i = 0; i < N; i++) {
                Envelope e = log("s" + i, i % 7 == 0 ? "ERROR" : "INFO");
                for (int level = 1; level <= Pressure.MAX; level++) {
                    if (Decider.decide(p, e, level).keep()) {
                        assertThat(Decider.decide(p, e, level - 1).keep()).as(importance + " " + e.id() + " " + level).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void levelZeroIsExactlyTheDecisionWithoutPressure() {
        for (Importance importance : Importance.values()) {
            Policy p = policy(Map.of("importance", importance.label()));
            for (int i = 0; i < 500; i++) {
                Envelope e = log("z" + i, List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").get(i % 5));
                assertThat(Decider.decide(p, e, 0)).isEqualTo(Decider.decide(p, e));
            }
        }
    }

    @Test
    void recordsLevelZeroDropsKeepTheirReason() {
        Policy low = policy(Map.of("importance", "low"));
        for (int level = 0; level <= Pressure.MAX; level++) {
            assertThat(Decider.decide(low, log("d", "DEBUG"), level).reason()).isEqualTo(StatsRecord.MIN_LEVEL);
            assertThat(Decider.decide(policy(Map.of("importance", "drop")), log("e", "FATAL"), level).reason())
                    .isEqualTo(StatsRecord.POLICY_DROP);
            assertThat(Decider.decide(policy(Map.of("sample_rate", 0)), log("x", "INFO"), level).reason())
                    .isEqualTo(StatsRecord.SAMPLED);
        }
    }

    @Test
    void aTraceIsKeptOrShedWhole() {
        Policy p = policy(Map.of("importance", "low", "sample_rate", 1.0));
        for (int t = 0; t < 300; t++) {
            String trace = "trace-" + t;
            boolean first = Decider.decide(p, Envelope.log("a" + t, "app", 1).level("INFO").traceId(trace).build(), 1).keep();
            assertThat(first).isEqualTo(Sampling.fraction(trace) < 0.25);
            for (int r = 0; r < 5; r++) {
                Envelope e = Envelope.log("x" + t + "-" + r, "app", 1).level("WARN").traceId(trace).build();
                assertThat(Decider.decide(p, e, 1).keep()).isEqualTo(first);
            }
        }
    }

    @Test
    void explicitShedOverridesTheImportanceDefault() {
        Policy critical = policy(Map.of("importance", "critical", "shed", "early"));
        Policy low = policy(Map.of("importance", "low", "shed", "never"));
        assertThat(Decider.decide(critical, log("i", "INFO"), 2).reason()).isEqualTo(StatsRecord.SHED);
        assertThat(Decider.decide(critical, log("e", "ERROR"), 2).keep()).isTrue();
        for (int i = 0; i < 200; i++) {
            Envelope e = log("n" + i, "INFO");
            assertThat(Decider.decide(low, e, Pressure.MAX)).isEqualTo(Decider.decide(low, e));
        }
    }

    @Test
    void metricsAreSampledAtAQuarterOfTheirRateThenShedLikeOrdinaryRecords() {
        Policy p = policy(Map.of("importance", "low", "metrics_sample_rate", 0.8));
        for (int i = 0; i < N; i++) {
            Envelope m = Envelope.metric("m" + i, "app", 1).name("cpu").value(1.0).build();
            Decision d = Decider.decide(p, m, 1);
            assertThat(d.keep()).isEqualTo(Sampling.fraction("m" + i) < 0.2);
            if (d.keep()) {
                assertThat(d.sampleRate()).isEqualTo(0.2);
            }
            assertThat(Decider.decide(p, m, 2).keep()).isFalse();
        }
    }

    @Test
    void quarterRateSurvivorsStillNeedATokenWhenCapped() {
        Policy p = policy(Map.of("importance", "low", "sample_rate", 1.0, "max_records_per_sec", 5));
        for (int i = 0; i < 200; i++) {
            Decision d = Decider.decide(p, log("c" + i, "INFO"), 1);
            assertThat(d.needsToken()).isEqualTo(d.keep());
        }
    }
}
