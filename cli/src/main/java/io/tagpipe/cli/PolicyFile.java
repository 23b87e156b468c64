package io.tagpipe.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;
import io.tagpipe.wire.policy.PolicyCodec;

/** The many-app file of {@code tagpipe policy apply}: JSON or YAML, a map app → policy fields. */
final class PolicyFile {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PolicyFile() {
    }

    /**
     * Reads a file of many policies; every app's errors are reported (prefixed with the app) before
     * anything is returned, so a caller can validate a whole file before writing any of it.
     */
    static Map<String, Policy> read(String text, boolean isYaml) throws InvalidPolicyException {
        Map<String, Object> apps;
        try {
            apps = (isYaml ? YAML : JSON).readValue(text, MAP);
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
                PolicyCodec.checkApp(app);
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

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
