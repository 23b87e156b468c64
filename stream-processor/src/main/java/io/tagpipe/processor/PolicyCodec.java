package io.tagpipe.processor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.tagpipe.wire.Labels;
import io.tagpipe.wire.Topics;

/**
 * JSON of a policy on {@code tagpipe.policies} (the value; the key is the app label or {@code *}),
 * and the many-app files of {@code tagpipe policy apply} (JSON or YAML: a map app → policy).
 *
 * <p>Only the explicit fields ({@link Policy#spec()}) are written, e.g.
 * {@code {"importance":"high","sample_rate":0.2,"retention_days":30}}.
 */
public final class PolicyCodec {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    public byte[] encode(Policy policy) {
        try {
            return json.writeValueAsBytes(policy.spec());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a map of strings, numbers and lists always serialises
        }
    }

    public Policy decode(byte[] bytes) throws InvalidPolicyException {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidPolicyException(List.of("empty policy value"));
        }
        Map<String, Object> fields;
        try {
            fields = json.readValue(bytes, MAP);
        } catch (IOException e) {
            throw new InvalidPolicyException(List.of("not a JSON object: " + firstLine(e.getMessage())));
        }
        return Policy.of(fields == null ? Map.of() : fields);
    }

    /**
     * Reads a file of many policies; every app's errors are reported (prefixed with the app) before
     * anything is returned, so a caller can validate a whole file before writing any of it.
     */
    public Map<String, Policy> decodeMany(String text, boolean isYaml) throws InvalidPolicyException {
        Map<String, Object> apps;
        try {
            apps = (isYaml ? yaml : json).readValue(text, MAP);
        } catch (IOException e) {
            throw new InvalidPolicyException(List.of("not a " + (isYaml ? "YAML" : "JSON")
                    + " map of app -> policy: " + firstLine(e.getMessage())));
        }
        if (apps == null || apps.isEmpty()) {
            throw new InvalidPolicyException(List.of("no policies in the file"));
        }
        Map<String, Policy> out = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        apps.forEach((app, value) -> {
            try {
                checkApp(app);
                if (!(value instanceof Map<?, ?> m)) {
                    throw new InvalidPolicyException(List.of("must be an object of policy fields, got " + value));
                }
                @SuppressWarnings("unchecked")
                Map<String, ?> fields = (Map<String, ?>) m;
                out.put(app, Policy.of(fields));
            } catch (InvalidPolicyException e) {
                e.errors().forEach(err -> errors.add(app + ": " + err));
            }
        });
        if (!errors.isEmpty()) {
            throw new InvalidPolicyException(errors);
        }
        return out;
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

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
