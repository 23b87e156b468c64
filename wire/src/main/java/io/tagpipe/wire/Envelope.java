package io.tagpipe.wire;

import java.util.Map;
import java.util.Objects;

/**
 * Record envelope v1: one log line or one metric value, labelled with the app that produced it.
 *
 * <p>{@code sampleRate}, {@code retentionDays} and {@code importance} are empty on
 * {@link Topics#RECORDS} and set by the processor on kept records. Optional fields are
 * {@code null} when absent; {@code attrs} is never null.
 */
public record Envelope(
        int v,
        String id,
        String app,
        String appSource,
        String kind,
        long ts,
        String host,
        String level,
        String logger,
        String thread,
        String message,
        String exception,
        String name,
        Double value,
        String unit,
        String type,
        String traceId,
        String spanId,
        Map<String, String> attrs,
        Double sampleRate,
        Integer retentionDays,
        String importance) {

    public static final int VERSION = 1;
    public static final String KIND_LOG = "log";
    public static final String KIND_METRIC = "metric";

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(kind, "kind");
        attrs = attrs == null ? Map.of() : Map.copyOf(attrs);
    }

    public boolean isLog() {
        return KIND_LOG.equals(kind);
    }

    public boolean isMetric() {
        return KIND_METRIC.equals(kind);
    }

    /** The key deterministic sampling hashes: the trace when there is one, else the record. */
    public String samplingKey() {
        return samplingKey(traceId, id);
    }

    /** The one rule: every record of a trace gets the same sampling decision; a record without one, its own. */
    public static String samplingKey(String traceId, String id) {
        return traceId != null && !traceId.isEmpty() ? traceId : id;
    }

    /** This record as kept by the processor under a policy. */
    public Envelope withPolicy(double rate, int retention, String importanceName) {
        return new Envelope(v, id, app, appSource, kind, ts, host, level, logger, thread, message, exception,
                name, value, unit, type, traceId, spanId, attrs, rate, retention, importanceName);
    }

    public static Builder log(String id, String app, long ts) {
        return new Builder(id, app, KIND_LOG, ts);
    }

    public static Builder metric(String id, String app, long ts) {
        return new Builder(id, app, KIND_METRIC, ts);
    }

    /** Mutable builder for the many optional fields. */
    public static final class Builder {
        private final String id;
        private final String app;
        private final String kind;
        private final long ts;
        private String appSource;
        private String host;
        private String level;
        private String logger;
        private String thread;
        private String message;
        private String exception;
        private String name;
        private Double value;
        private String unit;
        private String type;
        private String traceId;
        private String spanId;
        private Map<String, String> attrs = Map.of();

        private Builder(String id, String app, String kind, long ts) {
            this.id = id;
            this.app = app;
            this.kind = kind;
            this.ts = ts;
        }

        public Builder appSource(String s) { this.appSource = s; return this; }
        public Builder host(String s) { this.host = s; return this; }
        public Builder level(String s) { this.level = s; return this; }
        public Builder logger(String s) { this.logger = s; return this; }
        public Builder thread(String s) { this.thread = s; return this; }
        public Builder message(String s) { this.message = s; return this; }
        public Builder exception(String s) { this.exception = s; return this; }
        public Builder name(String s) { this.name = s; return this; }
        public Builder value(Double d) { this.value = d; return this; }
        public Builder unit(String s) { this.unit = s; return this; }
        public Builder type(String s) { this.type = s; return this; }
        public Builder traceId(String s) { this.traceId = s; return this; }
        public Builder spanId(String s) { this.spanId = s; return this; }
        public Builder attrs(Map<String, String> m) { this.attrs = m; return this; }

        public Envelope build() {
            return new Envelope(VERSION, id, app, appSource, kind, ts, host, level, logger, thread, message,
                    exception, name, value, unit, type, traceId, spanId, attrs, null, null, null);
        }
    }
}
