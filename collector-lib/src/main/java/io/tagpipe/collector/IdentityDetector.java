package io.tagpipe.collector;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Layered identity detection, first hit wins (README "How labels are derived"): explicit
 * setting, environment ({@code TAGPIPE_APP}, then OpenTelemetry), system property
 * {@code tagpipe.app}, the detected entrypoint, else {@code unknown_service:java}.
 *
 * <p>Pure over {@link ProcessInfo}; callers cache the result (detection runs once per sender).
 */
public final class IdentityDetector {
    private final ProcessInfo process;

    public IdentityDetector(ProcessInfo process) {
        this.process = process;
    }

    /** @param explicitApp the builder/appender {@code app} setting, may be {@code null} */
    public AppIdentity detect(String explicitApp) {
        List<Function<ProcessInfo, AppIdentity>> detectors = List.of(
                p -> AppIdentity.of(explicitApp, AppIdentity.EXPLICIT),
                p -> AppIdentity.of(p.env("TAGPIPE_APP"), AppIdentity.ENV),
                p -> AppIdentity.of(p.env("OTEL_SERVICE_NAME"), AppIdentity.OTEL),
                p -> AppIdentity.of(otelResourceServiceName(p.env("OTEL_RESOURCE_ATTRIBUTES")), AppIdentity.OTEL),
                p -> AppIdentity.of(p.property("tagpipe.app"), AppIdentity.PROPERTY),
                p -> new EntrypointDetector(new JarManifests(workingDir(p))).detect(p));
        for (Function<ProcessInfo, AppIdentity> detector : detectors) {
            AppIdentity hit = safely(detector);
            if (hit != null) {
                return hit;
            }
        }
        return AppIdentity.unknown();
    }

    private AppIdentity safely(Function<ProcessInfo, AppIdentity> detector) {
        try {
            return detector.apply(process);
        } catch (RuntimeException e) {
            return null; // a detector that cannot decide must not stop the next one
        }
    }

    /** {@code service.name} inside {@code k1=v1,k2=v2} (values may be percent-encoded, W3C baggage style). */
    static String otelResourceServiceName(String attributes) {
        if (attributes == null) {
            return null;
        }
        for (String pair : attributes.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).strip().equals("service.name")) {
                String value = pair.substring(eq + 1).strip();
                try {
                    return java.net.URLDecoder.decode(value.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return value;
                }
            }
        }
        return null;
    }

    private static Path workingDir(ProcessInfo p) {
        String dir = p.property("user.dir");
        try {
            return dir == null ? null : Path.of(dir);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
