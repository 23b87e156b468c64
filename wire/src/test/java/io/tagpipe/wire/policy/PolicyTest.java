package io.tagpipe.wire.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tagpipe.wire.Level;

class PolicyTest {

    private static InvalidPolicyException invalid(Map<String, ?> fields) {
        try {
            Policy.of(fields);
        } catch (InvalidPolicyException e) {
            return e;
        }
        throw new AssertionError("accepted " + fields);
    }

    @ParameterizedTest
    @EnumSource(Importance.class)
    void importanceAloneSuppliesEveryDefault(Importance i) throws Exception {
        Policy p = Policy.of(Map.of("importance", i.label()));
        assertThat(p.importance()).isEqualTo(i);
        assertThat(p.sampleRate()).isEqualTo(i.sampleRate());
        assertThat(p.metricsSampleRate()).isEqualTo(i.metricsSampleRate());
        assertThat(p.minLevel()).isEqualTo(i.minLevel());
        assertThat(p.retentionDays()).isEqualTo(i.retentionDays());
        assertThat(p.alwaysKeepLevels()).isEqualTo(i.alwaysKeepLevels());
        assertThat(p.hasRateCap()).isFalse();
        assertThat(p.route()).isNull();
        assertThat(p.shed()).isEqualTo(Shed.defaultFor(i));
        assertThat(p.spec()).isEqualTo(Map.of("importance", i.label()));
    }

    @Test
    void shedDefaultsByImportance_criticalAndHighNever_normalLast_lowEarly() throws Exception {
        assertThat(Policy.of(Map.of("importance", "critical")).shed()).isEqualTo(Shed.NEVER);
        assertThat(Policy.of(Map.of("importance", "high")).shed()).isEqualTo(Shed.NEVER);
        assertThat(Policy.of(Map.of("importance", "normal")).shed()).isEqualTo(Shed.LAST);
        assertThat(Policy.of(Map.of("importance", "low")).shed()).isEqualTo(Shed.EARLY);
        assertThat(Policy.of(Map.of()).shed()).isEqualTo(Shed.LAST);
    }

    @Test
    void explicitShedOverridesTheDefault_andRoundTripsThroughTheCodec() throws Exception {
        PolicyCodec codec = new PolicyCodec();
        for (Shed s : Shed.values()) {
            Policy p = Policy.of(Map.of("importance", "critical", "shed", s.label().toUpperCase()));
            assertThat(p.shed()).isEqualTo(s);
            assertThat(p.spec()).containsEntry("shed", s.label());
            Policy back = codec.decode(codec.encode(p));
            assertThat(back).isEqualTo(p);
            assertThat(back.shed()).isEqualTo(s);
        }
    }

    @Test
    void badShedValueIsAnErrorNamingTheField() {
        assertThat(invalid(Map.of("shed", "sometimes")).errors())
                .containsExactly("shed: 'sometimes' is not one of never, last, early");
        assertThat(invalid(Map.of("shed", 1)).errors()).singleElement().asString().startsWith("shed: ");
        assertThat(invalid(Map.of("importance", "drop", "shed", "never")).errors()).singleElement().asString()
                .startsWith("shed: ");
    }

    @Test
    void shedStepsFollowThePressureContract() {
        for (int level = 0; level <= io.tagpipe.wire.Pressure.MAX; level++) {
            assertThat(Shed.NEVER.step(level)).isZero();
            assertThat(Shed.EARLY.step(level)).isEqualTo(level);
            assertThat(Shed.LAST.step(level)).isEqualTo(Math.max(0, level - 1));
        }
    }

    @Test
    void defaultTableIsTheDocumentedOne() {
        assertThat(List.of(Importance.CRITICAL.retentionDays(), Importance.HIGH.retentionDays(),
                Importance.NORMAL.retentionDays(), Importance.LOW.retentionDays())).containsExactly(90, 30, 14, 7);
        assertThat(Importance.LOW.sampleRate()).isEqualTo(0.1);
        assertThat(Importance.LOW.minLevel()).isEqualTo(Level.INFO);
        assertThat(Importance.DROP.alwaysKeepLevels()).isEmpty();
        assertThat(Policy.builtInDefault().importance()).isEqualTo(Importance.NORMAL);
        assertThat(Policy.builtInDefault().sampleRate()).isEqualTo(1.0);
    }

    @Test
    void explicitFieldsOverrideTheImportanceDefaults() throws Exception {
        Policy p = Policy.of(Map.of("importance", "low", "sample_rate", 0.25, "min_level", "warning",
                "always_keep_levels", List.of("FATAL"), "max_records_per_sec", 500, "retention_days", 30,
                "route", "billing.kept", "metrics_sample_rate", 0.5));
        assertThat(p.sampleRate()).isEqualTo(0.25);
        assertThat(p.minLevel()).isEqualTo(Level.WARN);
        assertThat(p.alwaysKeepLevels()).containsExactly(Level.FATAL);
        assertThat(p.maxRecordsPerSec()).isEqualTo(500.0);
        assertThat(p.retentionDays()).isEqualTo(30);
        assertThat(p.route()).isEqualTo("billing.kept");
        assertThat(p.metricsSampleRate()).isEqualTo(0.5);
        assertThat(p.spec()).containsEntry("min_level", "WARN").containsEntry("always_keep_levels", List.of("FATAL"));
    }

    @Test
    void noImportanceMeansNormalDefaults() throws Exception {
        Policy p = Policy.of(Map.of("sample_rate", 0.2));
        assertThat(p.importance()).isEqualTo(Importance.NORMAL);
        assertThat(p.retentionDays()).isEqualTo(14);
        assertThat(p.spec()).isEqualTo(Map.of("sample_rate", 0.2));
    }

    @Test
    void reportsEveryBadValueAtOnceNamingEachField() {
        Map<String, Object> bad = new HashMap<>();
        bad.put("importance", "hgih");
        bad.put("smaple_rate", 0.5);
        bad.put("sample_rate", 1.5);
        bad.put("metrics_sample_rate", -0.1);
        bad.put("always_keep_levels", List.of("ERROR", "LOUD"));
        bad.put("min_level", "VERBOSE");
        bad.put("max_records_per_sec", -3);
        bad.put("retention_days", -1);
        bad.put("route", "no spaces/allowed");
        List<String> errors = invalid(bad).errors();
        assertThat(errors).hasSize(9);
        assertThat(String.join("\n", errors))
                .contains("importance: 'hgih'", "unknown field 'smaple_rate'", "sample_rate: must be a number from 0 to 1, got 1.5",
                        "metrics_sample_rate: must be a number from 0 to 1, got -0.1", "always_keep_levels: 'LOUD'",
                        "min_level: 'VERBOSE'", "max_records_per_sec: must be a number >= 0, got -3",
                        "retention_days: must be a whole number of days", "route: 'no spaces/allowed'");
    }

    @Test
    void wrongTypesAreErrorsNotCoercions() {
        List<String> errors = invalid(Map.of("sample_rate", "0.5", "retention_days", 7.5, "always_keep_levels", "ERROR",
                "importance", 3, "min_level", 2)).errors();
        assertThat(errors).hasSize(5);
        assertThat(String.join("\n", errors)).contains("sample_rate: must be a number from 0 to 1, got '0.5'",
                "retention_days: must be a whole number of days from 1 to 36500, got 7.5",
                "always_keep_levels: must be a list", "importance: '3'", "min_level: 2");
    }

    @Test
    void zeroRetentionAndHugeRetentionAreRejected() {
        assertThat(invalid(Map.of("retention_days", 0)).errors()).singleElement().asString().contains("retention_days");
        assertThat(invalid(Map.of("retention_days", 100_000)).errors()).singleElement().asString().contains("100000");
    }

    @Test
    void routeCannotPointAtThePressureTopic() {
        assertThat(invalid(Map.of("route", io.tagpipe.wire.Topics.PRESSURE)).errors()).singleElement().asString()
                .startsWith("route: ");
    }

    @Test
    void routeCannotPointBackIntoTagpipesOwnTopics() {
        for (String t : List.of("tagpipe.records", "tagpipe.policies", "tagpipe.stats", "tagpipe.dlq")) {
            assertThat(invalid(Map.of("route", t)).errors()).singleElement().asString().contains("own input/side topics");
        }
    }

    @Test
    void dropImportanceAllowsNoOtherField() {
        List<String> errors = invalid(Map.of("importance", "drop", "sample_rate", 0.5, "retention_days", 3)).errors();
        assertThat(errors).containsExactlyInAnyOrder(
                "retention_days: importance 'drop' drops every record; remove this field",
                "sample_rate: importance 'drop' drops every record; remove this field");
    }

    @Test
    void boundaryValuesAreAccepted() throws Exception {
        assertThat(Policy.of(Map.of("sample_rate", 0, "max_records_per_sec", 0, "retention_days", 1)).sampleRate()).isZero();
        assertThat(Policy.of(Map.of("sample_rate", 1, "always_keep_levels", List.of())).alwaysKeepLevels()).isEmpty();
    }

    @Test
    void codecRoundTripsTheExplicitFieldsOnly() throws Exception {
        PolicyCodec codec = new PolicyCodec();
        Policy p = Policy.of(Map.of("importance", "high", "sample_rate", 0.2, "retention_days", 30));
        String json = new String(codec.encode(p));
        assertThat(json).contains("\"importance\":\"high\"", "\"sample_rate\":0.2", "\"retention_days\":30")
                .doesNotContain("min_level");
        assertThat(codec.decode(codec.encode(p))).isEqualTo(p);
    }

    @Test
    void codecRejectsNonJsonAndTrailingGarbage() {
        PolicyCodec codec = new PolicyCodec();
        assertThatThrownBy(() -> codec.decode("{oops".getBytes())).isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> codec.decode("{} {}".getBytes())).isInstanceOf(InvalidPolicyException.class);
        assertThatThrownBy(() -> codec.decode("[1]".getBytes())).isInstanceOf(InvalidPolicyException.class);
        assertThatThrownBy(() -> codec.decode(new byte[0])).hasMessageContaining("empty");
    }

    @Test
    void codecHandsTheValidatorPlainValuesWhateverTheirJsonSpelling() throws Exception {
        PolicyCodec codec = new PolicyCodec();
        Policy p = codec.decode(("{\"importance\":\"low\",\"sample_rate\":1,\"always_keep_levels\":[\"WARN\"],"
                + "\"max_records_per_sec\":null,\"retention_days\":30.0}").getBytes());
        assertThat(p.sampleRate()).isEqualTo(1.0);
        assertThat(p.alwaysKeepLevels()).containsExactly(Level.WARN);
        assertThat(p.hasRateCap()).isFalse();
        assertThat(p.retentionDays()).isEqualTo(30);
        assertThat(codec.decode("null".getBytes())).isEqualTo(Policy.of(Map.of()));
        assertThatThrownBy(() -> codec.decode("\"high\"".getBytes())).hasMessageContaining("not a JSON object: found a string");
    }
}
