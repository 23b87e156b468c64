package io.tagpipe.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RecentStringsTest {
    private final RecentStrings recent = new RecentStrings();

    private String get(String s) {
        byte[] b = ("{\"" + s + "\"}").getBytes(StandardCharsets.UTF_8);
        return recent.get(b, 2, b.length - 4);
    }

    @Test
    void aLabelSeenAgainIsTheSameString() {
        String first = get("billing-api");

        assertThat(get("billing-api")).isEqualTo("billing-api").isSameAs(first);
    }

    @Test
    void manyLabelsSharingSlotsEachComeBackRight() {
        for (int round = 0; round < 3; round++) {
            for (int n = 0; n < 2_000; n++) {
                assertThat(get("app-" + n)).isEqualTo("app-" + n);
            }
        }
    }

    @Test
    void nonAsciiAndLongLabelsComeBackRight() {
        assertThat(get("café-ü")).isEqualTo("café-ü");
        assertThat(get("café-ü")).isEqualTo("café-ü");
        String longLabel = "x".repeat(200);
        assertThat(get(longLabel)).isEqualTo(longLabel);
    }
}
