package io.tagpipe.wire.policy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.tagpipe.wire.Level;
import io.tagpipe.wire.Topics;

/**
 * Turns loosely typed fields (parsed JSON or YAML, or CLI flags) into a {@link Policy}. Every
 * problem is collected and reported together; nothing unknown or out of range falls back to a
 * default — a typo in a field name is an error, not a silently ignored field.
 */
final class PolicyValidator {
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    /** Kept records must not be routed back into the processor's inputs or side topics. */
    private static final Set<String> RESERVED_TOPICS = Set.of(Topics.RECORDS, Topics.POLICIES, Topics.STATS, Topics.DLQ,
            Topics.PRESSURE);
    static final int MAX_RETENTION_DAYS = 36_500;

    private final Map<String, ?> fields;
    private final List<String> errors = new ArrayList<>();
    private final Map<String, Object> spec = new LinkedHashMap<>();

    private PolicyValidator(Map<String, ?> fields) {
        this.fields = fields;
    }

    static Policy validate(Map<String, ?> fields) throws InvalidPolicyException {
        return new PolicyValidator(fields == null ? Map.of() : fields).run();
    }

    private Policy run() throws InvalidPolicyException {
        for (String name : new TreeSet<>(fields.keySet())) {
            if (!Policy.FIELDS.contains(name)) {
                errors.add("unknown field '" + name + "' (known: " + new TreeSet<>(Policy.FIELDS) + ")");
            }
        }
        Importance importance = importance();
        if (importance == Importance.DROP) {
            present().stream().filter(f -> !f.equals(Policy.IMPORTANCE) && Policy.FIELDS.contains(f))
                    .forEach(f -> errors.add(f + ": importance 'drop' drops every record; remove this field"));
        }
        Importance base = importance == null ? Importance.NORMAL : importance;
        double sample = rate(Policy.SAMPLE_RATE, base.sampleRate());
        double metrics = rate(Policy.METRICS_SAMPLE_RATE, base.metricsSampleRate());
        Set<Level> keep = levels(base.alwaysKeepLevels());
        Level min = level(Policy.MIN_LEVEL, base.minLevel());
        Double cap = cap();
        int retention = retention(base.retentionDays());
        String route = route();
        Shed shed = shed(base);
        if (!errors.isEmpty()) {
            throw new InvalidPolicyException(errors);
        }
        return new Policy(base, sample, keep, min, cap, retention, route, metrics, shed, spec);
    }

    private Set<String> present() {
        Set<String> names = new TreeSet<>();
        fields.forEach((k, v) -> {
            if (v != null) {
                names.add(k);
            }
        });
        return names;
    }

    private Importance importance() {
        Object v = fields.get(Policy.IMPORTANCE);
        if (v == null) {
            return null;
        }
        Importance i = v instanceof String s ? Importance.parse(s).orElse(null) : null;
        if (i == null) {
            errors.add("importance: '" + v + "' is not one of critical, high, normal, low, drop");
        } else {
            spec.put(Policy.IMPORTANCE, i.label());
        }
        return i;
    }

    private double rate(String field, double dflt) {
        Object v = fields.get(field);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < 0 || n.doubleValue() > 1) {
            errors.add(field + ": must be a number from 0 to 1, got " + show(v));
            return dflt;
        }
        spec.put(field, n.doubleValue());
        return n.doubleValue();
    }

    private Set<Level> levels(Set<Level> dflt) {
        Object v = fields.get(Policy.ALWAYS_KEEP_LEVELS);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof List<?> list)) {
            errors.add(Policy.ALWAYS_KEEP_LEVELS + ": must be a list of level names, got " + show(v));
            return dflt;
        }
        Set<Level> levels = EnumSet.noneOf(Level.class);
        for (Object item : list) {
            Level l = item instanceof String s ? Level.parse(s) : null;
            if (l == null) {
                errors.add(Policy.ALWAYS_KEEP_LEVELS + ": " + show(item) + " is not a level (TRACE, DEBUG, INFO, WARN, ERROR, FATAL)");
            } else {
                levels.add(l);
            }
        }
        spec.put(Policy.ALWAYS_KEEP_LEVELS, levels.stream().map(Level::name).toList());
        return levels;
    }

    private Level level(String field, Level dflt) {
        Object v = fields.get(field);
        if (v == null) {
            return dflt;
        }
        Level l = v instanceof String s ? Level.parse(s) : null;
        if (l == null) {
            errors.add(field + ": " + show(v) + " is not a level (TRACE, DEBUG, INFO, WARN, ERROR, FATAL)");
            return dflt;
        }
        spec.put(field, l.name());
        return l;
    }

    private Double cap() {
        Object v = fields.get(Policy.MAX_RECORDS_PER_SEC);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < 0) {
            errors.add(Policy.MAX_RECORDS_PER_SEC + ": must be a number >= 0, got " + show(v));
            return null;
        }
        spec.put(Policy.MAX_RECORDS_PER_SEC, n.doubleValue());
        return n.doubleValue();
    }

    private int retention(int dflt) {
        Object v = fields.get(Policy.RETENTION_DAYS);
        if (v == null) {
            return dflt;
        }
        boolean whole = v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue());
        if (!whole || ((Number) v).doubleValue() < 1 || ((Number) v).doubleValue() > MAX_RETENTION_DAYS) {
            errors.add(Policy.RETENTION_DAYS + ": must be a whole number of days from 1 to " + MAX_RETENTION_DAYS
                    + ", got " + show(v));
            return dflt;
        }
        int days = ((Number) v).intValue();
        spec.put(Policy.RETENTION_DAYS, days);
        return days;
    }

    private String route() {
        Object v = fields.get(Policy.ROUTE);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s) || !TOPIC.matcher(s).matches() || s.equals(".") || s.equals("..")) {
            errors.add(Policy.ROUTE + ": " + show(v) + " is not a valid Kafka topic name ([a-zA-Z0-9._-], 1-249 chars)");
            return null;
        }
        if (RESERVED_TOPICS.contains(s)) {
            errors.add(Policy.ROUTE + ": '" + s + "' is one of tagpipe's own input/side topics; kept records cannot go there");
            return null;
        }
        spec.put(Policy.ROUTE, s);
        return s;
    }

    private Shed shed(Importance base) {
        Object v = fields.get(Policy.SHED);
        if (v == null) {
            return Shed.defaultFor(base);
        }
        Shed shed = v instanceof String s ? Shed.parse(s).orElse(null) : null;
        if (shed == null) {
            errors.add(Policy.SHED + ": " + show(v) + " is not one of never, last, early");
            return Shed.defaultFor(base);
        }
        spec.put(Policy.SHED, shed.label());
        return shed;
    }

    private static String show(Object v) {
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }
}
