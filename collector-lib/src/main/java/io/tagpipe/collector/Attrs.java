package io.tagpipe.collector;

import static io.tagpipe.collector.TagpipeSender.MARKER_ATTR;
import static io.tagpipe.collector.TagpipeSender.MAX_ATTRS;
import static io.tagpipe.collector.TagpipeSender.MAX_ATTR_KEY_CHARS;
import static io.tagpipe.collector.TagpipeSender.MAX_ATTR_VALUE_CHARS;

import java.util.LinkedHashMap;
import java.util.Map;

/** A record's attrs from what the call, its markers and its context carried: bounded, safe to encode. */
final class Attrs {
    private Attrs() {
    }

    /**
     * Bounded, sanitised attrs: call-site {@code fields} first (a clash is theirs), then the marker, then
     * {@code context}; at most {@value TagpipeSender#MAX_ATTRS}, keys and values capped, {@code null}s skipped.
     */
    static Map<String, String> of(Map<String, ?> fields, String marker, Map<String, String> context) {
        Map<String, String> out = new LinkedHashMap<>();
        putAll(out, fields);
        if (marker != null && out.size() < MAX_ATTRS) {
            out.putIfAbsent(MARKER_ATTR, Sanitizer.text(marker, MAX_ATTR_VALUE_CHARS));
        }
        putAll(out, context);
        return out;
    }

    private static void putAll(Map<String, String> out, Map<String, ?> in) {
        if (in == null) {
            return;
        }
        for (Map.Entry<String, ?> e : in.entrySet()) {
            if (out.size() >= MAX_ATTRS) {
                return;
            }
            if (e.getKey() != null && e.getValue() != null) {
                out.putIfAbsent(Sanitizer.text(e.getKey(), MAX_ATTR_KEY_CHARS), value(e.getValue()));
            }
        }
    }

    /** {@code String.valueOf}, capped; a {@code toString()} that throws gives {@code <unprintable TYPE>}. */
    private static String value(Object v) {
        try {
            return Sanitizer.text(v instanceof String s ? s : String.valueOf(v), MAX_ATTR_VALUE_CHARS);
        } catch (RuntimeException | StackOverflowError e) {
            return "<unprintable " + v.getClass().getName() + ">";
        }
    }

    /** Removes both keys; the first one's value if present, else the alternative's. */
    static String takeFirst(Map<String, String> attrs, String key, String alternative) {
        String v = attrs.remove(key);
        String alt = attrs.remove(alternative);
        return v != null ? v : alt;
    }
}
