package io.tagpipe.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * One line of {@link Topics#SHED} (key = app label): a record the processor shed, where it lies in
 * the records topic and how it would have been kept, so {@code tagpipe replay} can fetch it again and
 * deliver it exactly as the processor would have at pressure level 0. JSON, version {@value #VERSION};
 * unknown fields are ignored, a newer version is refused (it may mean something this reader cannot).
 *
 * @param level       the level as counted in {@link StatsRecord} ({@code ""} for metrics and no level)
 * @param ts          the record's own timestamp (epoch millis): what a replay window selects on
 * @param topic       the records topic it was read from
 * @param pressure    the pressure level it was shed at, 1..{@link Pressure#MAX}
 * @param destination the kept topic it would have gone to
 * @param sampleRate  the rate it would have been kept at without pressure (what a replayed copy carries)
 */
public record ShedEntry(String id, String app, String kind, String level, long ts, String topic, int partition,
                        long offset, int pressure, String destination, String importance, int retentionDays,
                        double sampleRate) {
    public static final int VERSION = 1;
    private static final JsonFactory JSON = new JsonFactory();

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeStringField("id", id);
            g.writeStringField("app", app);
            g.writeStringField("kind", kind);
            g.writeStringField("level", level == null ? "" : level);
            g.writeNumberField("ts", ts);
            g.writeStringField("topic", topic);
            g.writeNumberField("partition", partition);
            g.writeNumberField("offset", offset);
            g.writeNumberField("pressure", pressure);
            g.writeStringField("destination", destination);
            g.writeStringField("importance", importance);
            g.writeNumberField("retention_days", retentionDays);
            g.writeNumberField("sample_rate", sampleRate);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static ShedEntry decode(byte[] bytes) throws UnreadableRecordException {
        Fields f = new Fields();
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new UnreadableRecordException("malformed_json", "shed entry is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                f.read(name, p);
            }
        } catch (IOException | RuntimeException e) {
            throw new UnreadableRecordException("malformed_json", "shed entry is not valid JSON: " + e.getMessage(), e);
        }
        return f.toEntry();
    }

    /** Accumulates the fields while parsing; validates once at the end, naming every missing field. */
    private static final class Fields {
        Integer v, partition, pressure, retentionDays;
        Long ts, offset;
        Double sampleRate;
        String id, app, kind, level = "", topic, destination, importance;

        void read(String name, JsonParser p) throws IOException {
            switch (name) {
                case "v" -> v = p.getValueAsInt(-1);
                case "id" -> id = p.getValueAsString();
                case "app" -> app = p.getValueAsString();
                case "kind" -> kind = p.getValueAsString();
                case "level" -> level = p.getValueAsString("");
                case "ts" -> ts = p.getValueAsLong();
                case "topic" -> topic = p.getValueAsString();
                case "partition" -> partition = p.getValueAsInt(-1);
                case "offset" -> offset = p.getValueAsLong(-1);
                case "pressure" -> pressure = p.getValueAsInt(-1);
                case "destination" -> destination = p.getValueAsString();
                case "importance" -> importance = p.getValueAsString();
                case "retention_days" -> retentionDays = p.getValueAsInt(-1);
                case "sample_rate" -> sampleRate = p.getValueAsDouble(-1);
                default -> p.skipChildren();
            }
        }

        ShedEntry toEntry() throws UnreadableRecordException {
            if (v == null || v != VERSION) {
                throw new UnreadableRecordException("unsupported_version",
                        "shed entry version must be " + VERSION + ", got " + v);
            }
            List<String> missing = new ArrayList<>();
            for (Object[] field : new Object[][] {{"id", id}, {"app", app}, {"kind", kind}, {"ts", ts},
                    {"topic", topic}, {"partition", partition}, {"offset", offset}, {"pressure", pressure},
                    {"destination", destination}, {"importance", importance}, {"retention_days", retentionDays},
                    {"sample_rate", sampleRate}}) {
                if (field[1] == null) {
                    missing.add((String) field[0]);
                }
            }
            if (!missing.isEmpty()) {
                throw new UnreadableRecordException("missing_field", "shed entry lacks " + String.join(", ", missing));
            }
            if (partition < 0 || offset < 0 || sampleRate <= 0 || sampleRate > 1) {
                throw new UnreadableRecordException("invalid_field", "shed entry needs partition >= 0, offset >= 0 and "
                        + "0 < sample_rate <= 1, got " + partition + ", " + offset + ", " + sampleRate);
            }
            return new ShedEntry(id, app, kind, level, ts, topic, partition, offset, pressure, destination, importance,
                    retentionDays, sampleRate);
        }
    }
}
