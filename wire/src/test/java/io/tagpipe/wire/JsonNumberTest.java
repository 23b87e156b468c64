package io.tagpipe.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** {@link JsonNumber} gives the double {@link Double#parseDouble} gives, and declines what JSON does not allow. */
class JsonNumberTest {
    private final JsonNumber number = new JsonNumber();

    @Test
    void decimalsAreTheDoublesTheJdkParses() {
        Random random = new Random(16);
        for (int n = 0; n < 200_000; n++) {
            String digits = Long.toString(Math.abs(random.nextLong()) % (long) Math.pow(10, 1 + random.nextInt(18)));
            int dot = Math.max(1, random.nextInt(digits.length() + 1));
            String fraction = digits.substring(dot);
            String text = (random.nextBoolean() ? "-" : "") + digits.substring(0, dot)
                    + (fraction.isEmpty() ? "" : "." + fraction)
                    + (random.nextInt(3) == 0 ? "e" + (random.nextBoolean() ? "-" : "") + random.nextInt(40) : "");
            if (text.matches("-?0\\d.*")) {
                continue; // a leading zero: not JSON
            }
            assertThat(read(text)).as(text).isEqualTo(text.length());
            assertThat(number.doubleValue()).as(text).isEqualTo(Double.parseDouble(text));
        }
    }

    @Test
    void integersAreExactUpTo18Digits() {
        for (String text : List.of("0", "-0", "7", "1765000000000", "-123456789012345678", "999999999999999999")) {
            assertThat(read(text)).as(text).isEqualTo(text.length());
            assertThat(number.isInt()).isTrue();
            assertThat(number.longValue()).as(text).isEqualTo(Long.parseLong(text));
            assertThat(number.doubleValue()).as(text).isEqualTo((double) Long.parseLong(text));
        }
        assertThat(read("1.0")).isEqualTo(3);
        assertThat(number.isInt()).isFalse();
    }

    @Test
    void whatJsonDoesNotAllowOrTheParserShouldJudgeIsDeclined() {
        for (String text : List.of("1.", ".5", "-", "+1", "1e", "1e+", "1.e5", "x", "", "-x",
                "1234567890123456789", "1" + "0".repeat(120) + ".5")) {
            assertThat(read(text)).as(text).isEqualTo(-1);
        }
        // a leading zero ends the number after the 0: the scanner then finds a digit where ',' or '}' must be
        assertThat(read("01")).isEqualTo(1);
        assertThat(read("-01")).isEqualTo(2);
    }

    private int read(String text) {
        return number.read(text.getBytes(StandardCharsets.US_ASCII), 0);
    }
}
