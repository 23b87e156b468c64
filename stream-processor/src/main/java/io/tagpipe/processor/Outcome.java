package io.tagpipe.processor;

import io.tagpipe.wire.Level;
import io.tagpipe.wire.StatsRecord;

/** What one received record counts as in {@code tagpipe.stats}. */
record Outcome(String app, String kind, String level, String reason, long minute) {

    /** Level as counted: the canonical name, "" for none (and for metrics), OTHER for unknown spellings. */
    static String statsLevel(String kind, String raw) {
        if (!"log".equals(kind) || raw == null || raw.isBlank()) {
            return "";
        }
        Level l = Level.parse(raw);
        return l == null ? "OTHER" : l.name();
    }

    static Outcome of(Judged j) {
        var r = j.record();
        return new Outcome(r.app(), r.kind(), statsLevel(r.kind(), r.level()), j.decision().reason(),
                StatsRecord.minuteOf(r.ts()));
    }

    static Outcome of(Parsed unreadable) {
        return new Outcome(unreadable.app(), Parsed.UNKNOWN_KIND, "", StatsRecord.UNREADABLE,
                StatsRecord.minuteOf(unreadable.timestamp()));
    }

    /** Store key; '|' cannot occur in a label, kind, level or reason. */
    String key() {
        return app + '|' + kind + '|' + level + '|' + reason + '|' + minute;
    }

    static StatsRecord fromKey(String key, long count) {
        String[] f = key.split("\\|", -1);
        return new StatsRecord(f[0], f[1], f[2], f[3], Long.parseLong(f[4]), count);
    }
}
