package io.tagpipe.wire;

import java.util.Locale;

/**
 * Label normalisation, the one rule every component applies: lower case, only {@code [a-z0-9._:-]},
 * runs of other characters become one {@code -}, no leading/trailing separators, at most
 * {@value #MAX_LENGTH} characters. The Python collector implements the same rule and both are
 * checked against {@code wire/label-vectors.json}.
 */
public final class Labels {
    public static final int MAX_LENGTH = 64;
    public static final String UNKNOWN_JAVA = "unknown_service:java";

    private Labels() {
    }

    /** The normalised label, or {@code null} when nothing usable is left. */
    public static String normalise(String raw) {
        if (raw == null) {
            return null;
        }
        if (alreadyNormal(raw)) {
            return raw; // the common case (labels come normalised from the collectors): no copy
        }
        String lower = raw.strip().toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(Math.min(lower.length(), MAX_LENGTH));
        boolean pendingDash = false;
        for (int i = 0; i < lower.length() && out.length() < MAX_LENGTH; i++) {
            char c = lower.charAt(i);
            if (isAllowed(c)) {
                if (pendingDash && out.length() > 0) {
                    out.append('-');
                    if (out.length() == MAX_LENGTH) {
                        break;
                    }
                }
                pendingDash = false;
                out.append(c);
            } else {
                pendingDash = true;
            }
        }
        int end = out.length();
        while (end > 0 && isSeparator(out.charAt(end - 1))) {
            end--;
        }
        int start = 0;
        while (start < end && isSeparator(out.charAt(start))) {
            start++;
        }
        return start >= end ? null : out.substring(start, end);
    }

    /** True when {@code label} is already in normal form. */
    public static boolean isNormal(String label) {
        return label != null && label.equals(normalise(label));
    }

    /** Every character allowed, no separator at either end, not too long: the rule would change nothing. */
    private static boolean alreadyNormal(String s) {
        int n = s.length();
        if (n == 0 || n > MAX_LENGTH || isSeparator(s.charAt(0)) || isSeparator(s.charAt(n - 1))) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!isAllowed(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' || c == '-';
    }

    private static boolean isSeparator(char c) {
        return c == '.' || c == '-' || c == ':';
    }
}
