package io.tagpipe.collector;

import java.util.Objects;

import io.tagpipe.wire.Labels;

/**
 * Which application this process is: a normalised label and the rule that produced it
 * ({@code app_source} on the wire). See README "How labels are derived".
 */
public record AppIdentity(String label, String source) {
    public static final String EXPLICIT = "explicit";
    public static final String ENV = "env";
    public static final String OTEL = "otel";
    public static final String PROPERTY = "property";
    public static final String MAIN_CLASS = "main-class";
    public static final String JAR = "jar";
    public static final String MODULE = "module";
    public static final String UNKNOWN = "unknown";

    public AppIdentity {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(source, "source");
        if (!Labels.isNormal(label)) {
            throw new IllegalArgumentException("label is not normalised: '" + label + "'");
        }
    }

    public static AppIdentity unknown() {
        return new AppIdentity(Labels.UNKNOWN_JAVA, UNKNOWN);
    }

    /** The identity for {@code raw} under {@code source}, or {@code null} if nothing usable is left. */
    static AppIdentity of(String raw, String source) {
        String label = Labels.normalise(raw);
        return label == null ? null : new AppIdentity(label, source);
    }
}
