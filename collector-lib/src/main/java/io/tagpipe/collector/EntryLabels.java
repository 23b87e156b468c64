package io.tagpipe.collector;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.tagpipe.wire.Labels;

/**
 * The entry rule of README "How labels are derived", shared with the Python collector through
 * {@code label-vectors.json}: an entrypoint is segments (package, directories) plus a name.
 */
final class EntryLabels {
    private static final Set<String> GENERIC = Set.of("main", "application", "app", "server", "launcher",
            "bootstrap", "__main__", "run", "manage", "wsgi", "asgi", "cli", "start");
    /** Longest first, so {@code MyApplication} loses {@code Application}, not nothing. */
    private static final List<String> SUFFIXES = List.of("Application", "Launcher", "Server", "Main", "App");

    private EntryLabels() {
    }

    /** The normalised label, or {@code null} when nothing usable is left. */
    static String label(List<String> segments, String name) {
        if (name == null || name.isBlank()) {
            return segments.isEmpty() ? null : Labels.normalise(segments.get(segments.size() - 1));
        }
        if (isGeneric(name)) {
            int n = segments.size();
            String raw = n >= 2 ? segments.get(n - 2) + "-" + segments.get(n - 1) : n == 1 ? segments.get(0) : name;
            return Labels.normalise(raw);
        }
        return Labels.normalise(splitCamelCase(stripSuffix(name)));
    }

    /** A fully qualified class name: package segments + simple name. */
    static String forClass(String className) {
        int dot = className.lastIndexOf('.');
        List<String> segments = dot < 0 ? List.of() : List.of(className.substring(0, dot).split("\\."));
        return label(segments, className.substring(dot + 1));
    }

    static boolean isGeneric(String name) {
        return GENERIC.contains(name.toLowerCase(Locale.ROOT));
    }

    static String stripSuffix(String name) {
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    /** {@code BillingApi} → {@code Billing-Api}, {@code HTTPGateway} → {@code HTTP-Gateway}. */
    static String splitCamelCase(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (i > 0 && Character.isUpperCase(c)) {
                char prev = s.charAt(i - 1);
                boolean afterLower = Character.isLowerCase(prev) || Character.isDigit(prev);
                boolean endOfAcronym = Character.isUpperCase(prev) && i + 1 < s.length()
                        && Character.isLowerCase(s.charAt(i + 1));
                if (afterLower || endOfAcronym) {
                    out.append('-');
                }
            }
            out.append(c);
        }
        return out.toString();
    }
}
