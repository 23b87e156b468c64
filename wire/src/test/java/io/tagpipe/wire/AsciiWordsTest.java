package io.tagpipe.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class AsciiWordsTest {
    private static final String[] WORDS = Arrays.stream(EnvelopeScan.Field.values()).map(f -> f.json)
            .toArray(String[]::new);
    private final AsciiWords words = new AsciiWords(WORDS);

    @Test
    void findsEveryWordAtAnyOffsetAndNearTheEndOfTheArray() {
        for (int k = 0; k < WORDS.length; k++) {
            for (String around : new String[] {"%s", "{\"%s\":1,\"message\":\"x\"}", "xx%s"}) {
                String text = around.formatted(WORDS[k]);
                byte[] b = text.getBytes(StandardCharsets.US_ASCII);
                int off = text.indexOf(WORDS[k]);
                assertThat(words.find(b, off, WORDS[k].length())).as(text).isEqualTo(k);
            }
        }
    }

    @Test
    void findsShortWordsByTheirBytesAsOneLong() {
        for (int k = 0; k < WORDS.length; k++) {
            byte[] w = WORDS[k].getBytes(StandardCharsets.US_ASCII);
            if (w.length < 8) {
                byte[] padded = Arrays.copyOf(w, 8);
                long key = JsonStrings.word(padded, 0);
                assertThat(words.find(key, w.length)).as(WORDS[k]).isEqualTo(k);
            }
        }
    }

    @Test
    void prefixesExtensionsNearMissesAndEmptyAreNotWords() {
        for (String other : new String[] {"ap", "apps", "attrsx", "trace_ie", "trace_id_", "retention_dayz", "ID",
            "", "sample_rate_and_more_than_thirty_two_bytes"}) {
            byte[] b = (other + "--------").getBytes(StandardCharsets.US_ASCII);
            assertThat(words.find(b, 0, other.length())).as(other).isEqualTo(-1);
        }
        assertThat(words.find(0L, 0)).isEqualTo(-1);
    }

    @Test
    void wordsThatCannotBeToldApartAreRefused() {
        assertThatThrownBy(() -> new AsciiWords("abcdefgh-one", "abcdefgh-two"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AsciiWords("")).isInstanceOf(IllegalArgumentException.class);
    }
}
