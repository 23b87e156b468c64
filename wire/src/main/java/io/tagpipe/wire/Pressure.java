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
 * The database pressure level the sink publishes on {@link Topics#PRESSURE} (compacted, key = the
 * sink's group id) and every processor reads: how hard to shed by importance.
 *
 * <ul>
 * <li>{@code 0} fine: policies apply as written;</li>
 * <li>{@code 1}: apps that shed {@code early} (default for {@code low}) keep a quarter of their sample rate;</li>
 * <li>{@code 2}: {@code early} apps keep only their always-kept levels; {@code last} apps (default for
 *     {@code normal}) keep a quarter of their sample rate;</li>
 * <li>{@code 3}: {@code early} apps keep nothing; {@code last} apps keep only their always-kept levels;</li>
 * <li>{@code 4} = {@link #MAX} "critical only": {@code early} and {@code last} apps keep nothing.</li>
 * </ul>
 * Apps whose policy says {@code shed: never} (default for {@code critical} and {@code high}) are never shed.
 *
 * @param reasons why, e.g. {@code parts 240/300 in logs (30, 20261202)}, {@code insert p99 8.1 s}
 * @param sinceMs when this level was entered
 * @param updatedMs when the sink last confirmed it (a processor may treat a stale level as 0)
 * @param source the publishing sink's group id
 * @param paused whether the sink had stopped consuming when it published (ClickHouse unavailable: it
 *               backs off and retries). Added after v1's first fields: a record without it decodes as
 *               {@code false}, and readers that do not know it skip it.
 */
public record Pressure(int level, List<String> reasons, long sinceMs, long updatedMs, String source, boolean paused) {
    public static final int MAX = 4;
    private static final JsonFactory JSON = new JsonFactory();

    public Pressure {
        if (level < 0 || level > MAX) {
            throw new IllegalArgumentException("pressure level must be 0.." + MAX + ", got " + level);
        }
        reasons = List.copyOf(reasons);
    }

    /** A level from a sink that is consuming (not paused). */
    public Pressure(int level, List<String> reasons, long sinceMs, long updatedMs, String source) {
        this(level, reasons, sinceMs, updatedMs, source, false);
    }

    public static Pressure none(long nowMs, String source) {
        return new Pressure(0, List.of(), nowMs, nowMs, source);
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", 1);
            g.writeNumberField("level", level);
            g.writeArrayFieldStart("reasons");
            for (String r : reasons) {
                g.writeString(r);
            }
            g.writeEndArray();
            g.writeNumberField("since", sinceMs);
            g.writeNumberField("updated", updatedMs);
            g.writeStringField("source", source);
            g.writeBooleanField("paused", paused);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static Pressure decode(byte[] bytes) throws UnreadableRecordException {
        Integer level = null;
        List<String> reasons = new ArrayList<>();
        long since = 0;
        long updated = 0;
        String source = "";
        boolean paused = false;
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new UnreadableRecordException("malformed_json", "pressure record is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                switch (f) {
                    case "level" -> level = p.getValueAsInt(-1);
                    case "reasons" -> {
                        if (t != JsonToken.START_ARRAY) {
                            throw new UnreadableRecordException("malformed_json", "pressure reasons must be an array");
                        }
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            reasons.add(p.getValueAsString(""));
                        }
                    }
                    case "since" -> since = p.getValueAsLong();
                    case "updated" -> updated = p.getValueAsLong();
                    case "source" -> source = p.getValueAsString("");
                    case "paused" -> paused = p.getValueAsBoolean(false);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new UnreadableRecordException("malformed_json", "pressure record is not valid JSON: " + e.getMessage(), e);
        }
        if (level == null || level < 0 || level > MAX) {
            throw new UnreadableRecordException("missing_field", "pressure record needs a level 0.." + MAX);
        }
        return new Pressure(level, reasons, since, updated, source, paused);
    }
}
