package io.tagpipe.admin.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;

/**
 * The operator's spelling of policy fields on a command line ({@code --retention 30d},
 * {@code --max-rate 500/s}, {@code --keep ERROR,WARN}) turned into policy fields; then the same
 * validation as everywhere else. Every bad flag and every bad field is reported together.
 */
public final class PolicyFlags {
    private static final Pattern DAYS = Pattern.compile("(\\d+)\\s*d?");
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:/s)?");

    private PolicyFlags() {
    }

    /** Each argument may be null (not given). {@code maxRate} {@code none} = explicitly no cap. */
    public static Policy toPolicy(String importance, String sampleRate, String retention, String maxRate,
                                  String minLevel, String keep, String route, String metricsSampleRate,
                                  String shed)
            throws InvalidPolicyException {
        List<String> errors = new ArrayList<>();
        Map<String, Object> f = new LinkedHashMap<>();
        put(f, Policy.IMPORTANCE, importance);
        put(f, Policy.SAMPLE_RATE, number(sampleRate, "--sample-rate", "a number from 0 to 1, e.g. 0.2", errors));
        put(f, Policy.METRICS_SAMPLE_RATE, number(metricsSampleRate, "--metrics-sample-rate", "a number from 0 to 1", errors));
        put(f, Policy.RETENTION_DAYS, matched(retention, DAYS, "--retention", "days, e.g. 30d", errors));
        if (maxRate == null || !maxRate.strip().equalsIgnoreCase("none")) {
            put(f, Policy.MAX_RECORDS_PER_SEC, matched(maxRate, RATE, "--max-rate", "records per second, e.g. 500/s, or none", errors));
        }
        put(f, Policy.MIN_LEVEL, minLevel);
        if (keep != null) {
            f.put(Policy.ALWAYS_KEEP_LEVELS, keep.isBlank() ? List.of()
                    : Arrays.stream(keep.split(",")).map(String::strip).toList());
        }
        put(f, Policy.ROUTE, route);
        put(f, Policy.SHED, shed);
        try {
            Policy p = Policy.of(f);
            if (errors.isEmpty()) {
                return p;
            }
        } catch (InvalidPolicyException e) {
            errors.addAll(e.errors());
        }
        throw new InvalidPolicyException(errors);
    }

    private static void put(Map<String, Object> f, String field, Object value) {
        if (value != null) {
            f.put(field, value);
        }
    }

    private static Double number(String s, String flag, String expected, List<String> errors) {
        if (s == null) {
            return null;
        }
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            errors.add(flag + ": expected " + expected + ", got '" + s + "'");
            return null;
        }
    }

    private static Number matched(String s, Pattern p, String flag, String expected, List<String> errors) {
        if (s == null) {
            return null;
        }
        Matcher m = p.matcher(s.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            errors.add(flag + ": expected " + expected + ", got '" + s + "'");
            return null;
        }
        try {
            return p == DAYS ? Integer.valueOf(m.group(1)) : Double.valueOf(m.group(1));
        } catch (NumberFormatException e) {
            errors.add(flag + ": " + s + " is out of range");
            return null;
        }
    }
}
