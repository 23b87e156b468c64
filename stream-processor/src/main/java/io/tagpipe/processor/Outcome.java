package io.tagpipe.processor;

import io.tagpipe.wire.Decoded;
import io.tagpipe.wire.Level;
import io.tagpipe.wire.StatsRecord;

/** What one received record counts as in {@code tagpipe.stats}. */
record Outcome(String app, String kind, String level, String reason, long minute) {
    static final String UNKNOWN_APP = "unknown";
    static final String UNKNOWN_KIND = "unknown";

    /** Level as counted: the canonical name, "" for none (and for metrics), OTHER for unknown spellings. */
    static String statsLevel(String kind, String raw) {
        if (!"log".equals(kind) || raw == null || raw.isBlank()) {
            return "";
        }
        Level l = Level.parse(raw);
        return l == null ? "OTHER" : l.name();
    }

    static Outcome of(Decoded r, Decision d) {
        return new Outcome(r.app(), r.kind(), statsLevel(r.kind(), r.level()), d.reason(), StatsRecord.minuteOf(r.ts()));
    }

    /** @param app the normalised record key, {@link #UNKNOWN_APP} without one */
    static Outcome unreadable(String app, long timestamp) {
        return new Outcome(app, UNKNOWN_KIND, "", StatsRecord.UNREADABLE, StatsRecord.minuteOf(timestamp));
    }

    /** Store key; '|' cannot occur in a label, kind, level or reason. */
    String key() {
        return app + '|' + kind + '|' + level + '|' + reason + '|' + minute;
    }

    static Outcome fromKey(String key) {
        String[] f = key.split("\\|", -1);
        return new Outcome(f[0], f[1], f[2], f[3], Long.parseLong(f[4]));
    }

    StatsRecord withCount(long count) {
        return new StatsRecord(app, kind, level, reason, minute, count);
    }
}
