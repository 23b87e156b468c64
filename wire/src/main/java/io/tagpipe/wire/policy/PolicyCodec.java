package io.tagpipe.wire.policy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.tagpipe.wire.Labels;
import io.tagpipe.wire.Topics;

/**
 * JSON of a policy on {@code tagpipe.policies} (the value; the key is the app label or {@code *}).
 *
 * <p>Only the explicit fields ({@link Policy#spec()}) are written, e.g.
 * {@code {"importance":"high","sample_rate":0.2,"retention_days":30}}. Reading hands the fields to
 * {@link Policy#of(Map)} as plain values (strings, numbers, lists, maps), so every program that
 * reads the topic validates exactly alike.
 */
public final class PolicyCodec {
    private static final JsonFactory JSON = new JsonFactory();

    public byte[] encode(Policy policy) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writeValue(g, policy.spec());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a map of strings, numbers and lists always serialises
        }
        return out.toByteArray();
    }

    public Policy decode(byte[] bytes) throws InvalidPolicyException {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidPolicyException(List.of("empty policy value"));
        }
        Map<String, Object> fields;
        try (JsonParser p = JSON.createParser(bytes)) {
            fields = readObject(p);
        } catch (IOException e) {
            throw new InvalidPolicyException(List.of("not a JSON object: " + firstLine(e.getMessage())));
        }
        return Policy.of(fields == null ? Map.of() : fields);
    }

    /** A policy key is {@code *} or a normalised app label (what records carry), nothing else. */
    public static void checkApp(String app) throws InvalidPolicyException {
        if (Topics.DEFAULT_POLICY_KEY.equals(app)) {
            return;
        }
        if (app == null || !Labels.isNormal(app)) {
            String hint = app == null ? null : Labels.normalise(app);
            throw new InvalidPolicyException(List.of("app '" + app + "' is not a normalised app label"
                    + (hint == null ? "" : " (did you mean '" + hint + "'?)")));
        }
    }

    /** The root object (null for a JSON {@code null}); anything else, or trailing content, is an error. */
    private static Map<String, Object> readObject(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == JsonToken.VALUE_NULL) {
            requireEnd(p);
            return null;
        }
        if (first != JsonToken.START_OBJECT) {
            throw new IOException("found " + describe(first));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) readValue(p);
        requireEnd(p);
        return fields;
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            default -> "a boolean";
        };
    }

    private static void requireEnd(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw new IOException("trailing content after the JSON object");
        }
    }

    /** The value at the current token as plain Java values, as a JSON data binder would give them. */
    private static Object readValue(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, readValue(p));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(readValue(p));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getNumberValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected " + p.currentToken());
        }
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v == null) {
            g.writeNull();
        } else {
            g.writeString(v.toString());
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
