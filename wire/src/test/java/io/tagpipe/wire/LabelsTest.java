package io.tagpipe.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelsTest {
    @Test
    void lowerCasesAndKeepsAllowedCharacters() {
        assertThat(Labels.normalise("Billing-API_v2.worker:eu")).isEqualTo("billing-api_v2.worker:eu");
    }

    @Test
    void foldsRunsOfOtherCharactersIntoOneDash() {
        assertThat(Labels.normalise("  search / indexer  (nightly)  ")).isEqualTo("search-indexer-nightly");
        assertThat(Labels.normalise("a\"b\\c;d\ne")).isEqualTo("a-b-c-d-e");
    }

    @Test
    void capsAtSixtyFourCharactersWithoutTrailingSeparator() {
        String label = Labels.normalise("x".repeat(63) + "-" + "y".repeat(500));
        assertThat(label).hasSize(63).isEqualTo("x".repeat(63));
        assertThat(Labels.normalise("a".repeat(500))).hasSize(Labels.MAX_LENGTH);
    }

    @Test
    void nothingUsableGivesNull() {
        assertThat(Labels.normalise("!!!")).isNull();
        assertThat(Labels.normalise("")).isNull();
        assertThat(Labels.normalise(null)).isNull();
        assertThat(Labels.normalise("ünïcödé")).isEqualTo("n-c-d");
    }

    @Test
    void unknownServiceLabelIsAlreadyNormal() {
        assertThat(Labels.isNormal(Labels.UNKNOWN_JAVA)).isTrue();
    }

    @Test
    void aLabelAlreadyNormalIsReturnedAsIs() {
        String label = "billing-api_v2.worker:eu";
        assertThat(Labels.normalise(label)).isSameAs(label);
        assertThat(Labels.normalise("_a_")).isEqualTo("_a_");
    }

    @Test
    void allowedCharactersStillLoseSeparatorsAtTheEndsAndTheTailPastTheCap() {
        assertThat(Labels.normalise("-api.")).isEqualTo("api");
        assertThat(Labels.normalise(":api")).isEqualTo("api");
        assertThat(Labels.normalise("a".repeat(64))).isEqualTo("a".repeat(64));
        assertThat(Labels.normalise("a".repeat(63) + ".b")).isEqualTo("a".repeat(63));
        assertThat(Labels.normalise("-")).isNull();
    }
}
