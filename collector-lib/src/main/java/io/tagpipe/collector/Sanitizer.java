package io.tagpipe.collector;

/**
 * Makes any string safe to encode: caps its length with a visible marker and replaces lone
 * surrogates (which no UTF-8 encoder can write) by U+FFFD.
 */
final class Sanitizer {
    private Sanitizer() {
    }

    /** {@code null} stays {@code null}; never throws. */
    static String text(String s, int maxChars) {
        if (s == null) {
            return null;
        }
        if (s.length() <= maxChars) {
            return fixSurrogates(s); // the common case allocates nothing (a "+ \"\"" would copy every string)
        }
        int cut = maxChars;
        if (cut > 0 && Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--; // do not split a pair
        }
        return fixSurrogates(s.substring(0, cut)) + "…[truncated " + (s.length() - cut) + " chars]";
    }

    static String fixSurrogates(String s) {
        int bad = firstLoneSurrogate(s, 0);
        if (bad < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s);
        for (; bad >= 0; bad = firstLoneSurrogate(s, bad + 1)) {
            out.setCharAt(bad, '\uFFFD');
        }
        return out.toString();
    }

    private static int firstLoneSurrogate(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
