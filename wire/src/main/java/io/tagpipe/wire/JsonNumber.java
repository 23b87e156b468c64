package io.tagpipe.wire;

import java.nio.charset.StandardCharsets;

/**
 * A JSON number read from bytes for {@link EnvelopeScan#number}, as the codec's parser would give it: an integer
 * of up to 18 digits exactly (its double is the long's), a decimal exactly when its digits fit 15 and
 * its power of ten is at most 22 either way (one correctly rounded multiplication or division: the
 * double {@link Double#parseDouble} gives), any other decimal by {@link Double#parseDouble}. The
 * grammar is JSON's, strictly (no leading zeros, no lone dot); a longer integer or an overlong number
 * is declined, and the record left to the parser. Not thread-safe: one per scanner.
 */
final class JsonNumber {
    /** Longer numbers are left to the parser's own limits (its StreamReadConstraints). */
    private static final int MAX_LENGTH = 100;
    /** Exact powers of ten as doubles (10^22 is the largest). */
    private static final double[] POW10 = new double[23];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private byte[] b;
    private int i;
    private boolean isInt;
    private long longValue;
    private double doubleValue;

    /** Reads the number at {@code at}; returns where it ends, or -1 when there is none this reader takes. */
    int read(byte[] bytes, int at) {
        this.b = bytes;
        this.i = at;
        int start = i;
        boolean negative = take('-');
        int digitsStart = i;
        if (at() == '0') {
            i++;
        } else if (at() >= '1' && at() <= '9') {
            skipDigits();
        } else {
            return -1;
        }
        int intDigits = i - digitsStart;
        int fracStart = -1;
        int fracDigits = 0;
        if (take('.')) {
            fracStart = i;
            skipDigits();
            fracDigits = i - fracStart;
            if (fracDigits == 0) {
                return -1;
            }
        }
        int exponent = 0;
        boolean hasExponent = take('e') || take('E');
        if (hasExponent) {
            boolean expNegative = take('-');
            if (!expNegative) {
                take('+');
            }
            int expStart = i;
            skipDigits();
            int expDigits = i - expStart;
            if (expDigits == 0) {
                return -1;
            }
            exponent = expDigits > 3 ? 9999 : (int) digits(expStart, i, 0); // beyond 3 digits: no fast path
            exponent = expNegative ? -exponent : exponent;
        }
        if (i - start > MAX_LENGTH) {
            return -1;
        }
        isInt = fracStart < 0 && !hasExponent;
        if (isInt) {
            if (intDigits > 18) {
                return -1; // the parser decides about integers that large
            }
            long v = digits(digitsStart, digitsStart + intDigits, 0);
            longValue = negative ? -v : v;
            doubleValue = longValue;
            return i;
        }
        int power = exponent - fracDigits;
        if (intDigits + fracDigits <= 15 && power >= -22 && power <= 22) {
            long m = digits(digitsStart, digitsStart + intDigits, 0);
            if (fracStart >= 0) {
                m = digits(fracStart, fracStart + fracDigits, m);
            }
            double d = power >= 0 ? m * POW10[power] : m / POW10[-power];
            doubleValue = negative ? -d : d;
        } else {
            doubleValue = Double.parseDouble(new String(b, start, i - start, StandardCharsets.US_ASCII));
        }
        return i;
    }

    /** True when the last number was an integer (no fraction, no exponent). */
    boolean isInt() {
        return isInt;
    }

    /** The last integer read. */
    long longValue() {
        return longValue;
    }

    /** The last number read, as the parser's {@code getDoubleValue()} gives it. */
    double doubleValue() {
        return doubleValue;
    }

    private long digits(int from, int to, long acc) {
        for (int k = from; k < to; k++) {
            acc = acc * 10 + (b[k] - '0');
        }
        return acc;
    }

    /** The byte here, or -1 at the end. */
    private int at() {
        return i < b.length ? b[i] : -1;
    }

    /** Steps over {@code c} if it is here. */
    private boolean take(char c) {
        if (i < b.length && b[i] == c) {
            i++;
            return true;
        }
        return false;
    }

    private void skipDigits() {
        while (at() >= '0' && at() <= '9') {
            i++;
        }
    }
}
