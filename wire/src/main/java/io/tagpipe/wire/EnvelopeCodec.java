package io.tagpipe.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * JSON codec of {@link Envelope} v1, streaming (no object mapper on the hot path).
 *
 * <p>Reading is lenient where it can be and strict where it must: unknown fields are kept in
 * {@code attrs} (nested values as JSON text), numbers written as strings are accepted, but a
 * record without {@code id}, {@code app}, {@code kind} or {@code ts}, with another {@code v}, or
 * larger than {@link #maxBytes()} is an {@link UnreadableRecordException} — never a silent null.
 */
public final class EnvelopeCodec {
    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private final int maxBytes;
    private final PolicySplice splice = new PolicySplice();
    private final RecentStrings apps = new RecentStrings();

    public EnvelopeCodec() {
        this(DEFAULT_MAX_BYTES);
    }

    public EnvelopeCodec(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public int maxBytes() {
        return maxBytes;
    }

    public byte[] encode(Envelope e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // cannot happen on a byte array
        }
        return out.toByteArray();
    }

    /**
     * An encoder for one thread that keeps its generator and buffer between records: a sender's
     * worker encodes every record it ships, so per-record generator and buffer growth showed up
     * as a third of its time. Not thread-safe.
     */
    public Encoder newEncoder() {
        return new Encoder();
    }

    /** Reusable, single-thread {@link #encode}; output is byte-for-byte the same. */
    public static final class Encoder {
        private final Buffer out = new Buffer();
        private JsonGenerator g;

        private Encoder() {
        }

        public byte[] encode(Envelope e) {
            out.reset();
            try {
                if (g == null) {
                    g = JSON.createGenerator(out);
                    g.setRootValueSeparator(null);
                }
                write(g, e);
                g.flush();
            } catch (IOException | RuntimeException ex) {
                g = null; // a half-written record leaves the generator in an unknown state
                if (ex instanceof RuntimeException re) {
                    throw re;
                }
                throw new UncheckedIOException((IOException) ex);
            }
            return out.toByteArray();
        }
    }

    /** A byte buffer that keeps its capacity across {@link #reset()} (the JDK's does too) without locking on write. */
    private static final class Buffer extends java.io.OutputStream {
        private byte[] bytes = new byte[1024];
        private int size;

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        void reset() {
            size = 0;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(bytes, size);
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }

    private static void write(JsonGenerator g, Envelope e) throws IOException {
        g.writeStartObject();
        g.writeNumberField("v", e.v());
        g.writeStringField("id", e.id());
        g.writeStringField("app", e.app());
        writeOpt(g, "app_source", e.appSource());
        g.writeStringField("kind", e.kind());
        g.writeNumberField("ts", e.ts());
        writeOpt(g, "host", e.host());
        writeOpt(g, "level", e.level());
        writeOpt(g, "logger", e.logger());
        writeOpt(g, "thread", e.thread());
        writeOpt(g, "message", e.message());
        writeOpt(g, "exception", e.exception());
        writeOpt(g, "name", e.name());
        if (e.value() != null) {
            g.writeNumberField("value", e.value());
        }
        writeOpt(g, "unit", e.unit());
        writeOpt(g, "type", e.type());
        writeOpt(g, "trace_id", e.traceId());
        writeOpt(g, "span_id", e.spanId());
        if (!e.attrs().isEmpty()) {
            g.writeObjectFieldStart("attrs");
            for (Map.Entry<String, String> a : e.attrs().entrySet()) {
                g.writeStringField(a.getKey(), a.getValue());
            }
            g.writeEndObject();
        }
        if (e.sampleRate() != null) {
            g.writeNumberField("sample_rate", e.sampleRate());
        }
        if (e.retentionDays() != null) {
            g.writeNumberField("retention_days", e.retentionDays());
        }
        writeOpt(g, "importance", e.importance());
        g.writeEndObject();
    }

    public Envelope decode(byte[] bytes) throws UnreadableRecordException {
        return parse(bytes, true).toEnvelope();
    }

    /**
     * Reads what a router needs to decide on a record, with every check of {@link #decode} (same
     * exceptions, same reasons: the whole record is still parsed and its strings UTF-8-checked),
     * but without building the envelope's strings and attributes: the processor decides on six
     * fields and then writes the record out with {@link #encodeWithPolicy}, so building the rest
     * was most of its parsing time. Records in the shape collectors write are read by
     * {@link EnvelopeScanner} in one pass without Jackson's tokens (Jackson was most of the
     * processor's own CPU); every other record, bad ones included, by Jackson as {@link #decode}
     * reads it. {@link Decoded#envelope()} decodes the whole record on demand.
     */
    public Decoded read(byte[] bytes) throws UnreadableRecordException {
        checkSize(bytes);
        Fields f = EnvelopeScanner.routerFields(bytes, apps); // the common shape in one pass; null: Jackson judges it
        if (f == null) {
            f = parse(bytes, false);
        }
        String label = f.validate();
        return new Decoded(this, f.id, label, f.kind, f.ts, f.level, f.traceId, bytes, f.spliceAt);
    }

    /** Jackson's reading of a record: the reference {@link EnvelopeScanner} is tested against. */
    Fields parse(byte[] bytes, boolean full) throws UnreadableRecordException {
        checkSize(bytes);
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new UnreadableRecordException("malformed_json", "not a JSON object");
            }
            Fields f = new Fields(full);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                f.read(field, p);
            }
            long end = p.currentTokenLocation().getByteOffset(); // the root object's closing brace
            if (p.nextToken() != null) {
                throw new UnreadableRecordException("malformed_json", "trailing content after the JSON object");
            }
            boolean spliceable = !f.policyFields && end > 0 && end < bytes.length && bytes[(int) end] == '}';
            f.spliceAt = spliceable ? (int) end : -1;
            return f;
        } catch (UnreadableRecordException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UnreadableRecordException("malformed_json", "not valid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    private void checkSize(byte[] bytes) throws UnreadableRecordException {
        if (bytes == null || bytes.length == 0) {
            throw new UnreadableRecordException("empty", "empty record");
        }
        if (bytes.length > maxBytes) {
            throw new UnreadableRecordException("too_large",
                    "record of " + bytes.length + " bytes exceeds the limit of " + maxBytes);
        }
    }

    /**
     * The record as kept under a policy: {@code envelope().withPolicy(rate, retention, importance)},
     * encoded. When the original object had none of the policy fields, this is the original bytes
     * with the three fields appended before its closing brace (byte-for-byte what {@link #encode}
     * writes when the original came from {@link #encode}; otherwise field order, unknown fields and
     * spelling stay as the app sent them, and {@link #decode} reads the same envelope). Otherwise
     * the envelope is encoded again.
     */
    public byte[] encodeWithPolicy(Decoded d, double rate, int retention, String importance) {
        if (d.objectEnd() < 0) {
            return encode(d.envelope().withPolicy(rate, retention, importance));
        }
        return splice.append(d.source(), d.objectEnd(), rate, retention, importance);
    }

    private static void writeOpt(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * Accumulates fields while parsing; validates once at the end. Not {@code full}: only the
     * fields {@link Decoded} holds are kept; the others are checked exactly as when kept.
     */
    static final class Fields {
        final boolean full;
        int spliceAt = -1;
        Integer v;
        String id, app, appSource, kind, host, level, logger, thread, message, exception, name, unit, type,
                traceId, spanId, importance;
        Long ts;
        Double value, sampleRate;
        Integer retentionDays;
        boolean policyFields; // any of sample_rate, retention_days, importance present (even null)
        final Map<String, String> attrs;

        Fields(boolean full) {
            this.full = full;
            this.attrs = full ? new LinkedHashMap<>() : Map.of(); // not full: never written
        }

        void read(String field, JsonParser p) throws IOException, UnreadableRecordException {
            switch (field) {
                case "v" -> v = (int) number(p, field);
                case "id" -> id = text(p, field);
                case "app" -> app = text(p, field);
                case "app_source" -> appSource = opt(p, field);
                case "kind" -> kind = text(p, field);
                case "ts" -> ts = p.currentToken() == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : (long) number(p, field);
                case "host" -> host = opt(p, field);
                case "level" -> level = text(p, field);
                case "logger" -> logger = opt(p, field);
                case "thread" -> thread = opt(p, field);
                case "message" -> message = opt(p, field);
                case "exception" -> exception = opt(p, field);
                case "name" -> name = opt(p, field);
                case "value" -> value = p.currentToken() == JsonToken.VALUE_NULL ? null : number(p, field);
                case "unit" -> unit = opt(p, field);
                case "type" -> type = opt(p, field);
                case "trace_id" -> traceId = text(p, field);
                case "span_id" -> spanId = opt(p, field);
                case "attrs" -> readAttrs(p);
                case "sample_rate" -> {
                    policyFields = true;
                    sampleRate = p.currentToken() == JsonToken.VALUE_NULL ? null : number(p, field);
                }
                case "retention_days" -> {
                    policyFields = true;
                    retentionDays = p.currentToken() == JsonToken.VALUE_NULL ? null : (int) number(p, field);
                }
                case "importance" -> {
                    policyFields = true;
                    importance = text(p, field);
                }
                default -> {
                    String text = anyAsText(p, full);
                    if (full) {
                        attrs.putIfAbsent(field, text);
                    }
                }
            }
        }

        private void readAttrs(JsonParser p) throws IOException, UnreadableRecordException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return;
            }
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new UnreadableRecordException("bad_field", "attrs must be an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                p.nextToken();
                String text = anyAsText(p, full);
                if (full) {
                    attrs.put(k, text);
                }
            }
        }

        Envelope toEnvelope() throws UnreadableRecordException {
            String label = validate();
            if (!label.equals(app)) {
                attrs.putIfAbsent("app_raw", app);
            }
            return new Envelope(Envelope.VERSION, id, label, appSource, kind, ts, host, level, logger, thread,
                    message, exception, name, value, unit, type, traceId, spanId, attrs, sampleRate,
                    retentionDays, importance);
        }

        /** The checks of a whole record; returns the normalised app label. */
        String validate() throws UnreadableRecordException {
            if (isBlank(id) || isBlank(app) || isBlank(kind) || ts == null) { // no message built per good record
                throw new UnreadableRecordException("missing_field", "missing required field(s):" + missing());
            }
            if (v != null && v != Envelope.VERSION) {
                throw new UnreadableRecordException("bad_version", "unsupported envelope version " + v);
            }
            if (!Envelope.KIND_LOG.equals(kind) && !Envelope.KIND_METRIC.equals(kind)) {
                throw new UnreadableRecordException("bad_field", "kind must be 'log' or 'metric', got '" + kind + "'");
            }
            String label = Labels.normalise(app);
            if (label == null) {
                throw new UnreadableRecordException("bad_field", "app label has no usable character");
            }
            return label;
        }

        private String missing() {
            StringBuilder missing = new StringBuilder();
            if (isBlank(id)) missing.append(" id");
            if (isBlank(app)) missing.append(" app");
            if (isBlank(kind)) missing.append(" kind");
            if (ts == null) missing.append(" ts");
            return missing.toString();
        }

        private static boolean isBlank(String s) {
            return s == null || s.isEmpty();
        }

        /** A string field the caller may not need: {@link #text}, or when not full the same checks without the string. */
        private String opt(JsonParser p, String field) throws IOException, UnreadableRecordException {
            if (full) {
                return text(p, field);
            }
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t.isScalarValue()) {
                touch(p);
                return null;
            }
            throw new UnreadableRecordException("bad_field", field + " must be a string");
        }

        /** Decodes (and so UTF-8-checks) a string token without making a String of it, as getText() would. */
        private static void touch(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                p.getTextCharacters();
            }
        }

        private static String text(JsonParser p, String field) throws IOException, UnreadableRecordException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t.isScalarValue()) {
                return p.getText();
            }
            throw new UnreadableRecordException("bad_field", field + " must be a string");
        }

        private static double number(JsonParser p, String field) throws IOException, UnreadableRecordException {
            JsonToken t = p.currentToken();
            if (t.isNumeric()) {
                return p.getDoubleValue();
            }
            if (t == JsonToken.VALUE_STRING) {
                try {
                    return Double.parseDouble(p.getText().strip());
                } catch (NumberFormatException e) {
                    // fall through to the error below
                }
            }
            throw new UnreadableRecordException("bad_field", field + " must be a number");
        }

        /** The value as attrs text; when not {@code keep}, scalars are only checked and null is returned. */
        private static String anyAsText(JsonParser p, boolean keep) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return "";
            }
            if (t.isScalarValue()) {
                if (!keep) {
                    touch(p);
                    return null;
                }
                return p.getText();
            }
            StringWriter w = new StringWriter();
            try (JsonGenerator g = JSON.createGenerator(w)) {
                g.copyCurrentStructure(p);
            }
            return w.toString();
        }
    }
}
