package io.tagpipe.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * One line of {@link Topics#STATS}: how many records of (app, kind, level) met {@code reason} in the
 * minute starting at {@code minute} (epoch millis). Reason {@link #KEPT} counts survivors, every
 * other reason counts drops, so kept + dropped = received per app.
 */
public record StatsRecord(String app, String kind, String level, String reason, long minute, long count) {
    public static final String KEPT = "kept";
    public static final String MIN_LEVEL = "min_level";
    public static final String SAMPLED = "sampled";
    public static final String RATE_LIMIT = "rate_limit";
    public static final String POLICY_DROP = "policy_drop";
    /** Dropped because the database was under pressure ({@link Pressure}); replayable from Kafka. */
    public static final String SHED = "shed";
    /** A shed record delivered later by {@code tagpipe replay}: moves its count from {@link #SHED}. */
    public static final String REPLAYED = "replayed";
    public static final String UNREADABLE = "unreadable";
    /** Dropped inside an application because the collector's queue was full. */
    public static final String CLIENT_QUEUE_FULL = "client_queue_full";

    private static final JsonFactory JSON = new JsonFactory();

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("app", app);
            g.writeStringField("kind", kind);
            g.writeStringField("level", level == null ? "" : level);
            g.writeStringField("reason", reason);
            g.writeNumberField("minute", minute);
            g.writeNumberField("count", count);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static StatsRecord decode(byte[] bytes) throws UnreadableRecordException {
        String app = null, kind = null, level = "", reason = null;
        Long minute = null, count = null;
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new UnreadableRecordException("malformed_json", "stats record is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "app" -> app = p.getValueAsString();
                    case "kind" -> kind = p.getValueAsString();
                    case "level" -> level = p.getValueAsString("");
                    case "reason" -> reason = p.getValueAsString();
                    case "minute" -> minute = p.getValueAsLong();
                    case "count" -> count = p.getValueAsLong();
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new UnreadableRecordException("malformed_json", "stats record is not valid JSON: " + e.getMessage(), e);
        }
        if (app == null || kind == null || reason == null || minute == null || count == null) {
            throw new UnreadableRecordException("missing_field", "stats record needs app, kind, reason, minute, count");
        }
        return new StatsRecord(app, kind, level, reason, minute, count);
    }

    /** Start of the minute containing {@code epochMillis}. */
    public static long minuteOf(long epochMillis) {
        return Math.floorDiv(epochMillis, 60_000L) * 60_000L;
    }
}
