package io.tagpipe.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identity of a {@code -jar} launch: the manifest's {@code Start-Class} (Spring Boot), else its
 * {@code Main-Class} unless that is a launcher, else the jar's file name without its version.
 */
final class JarManifests {
    /** {@code billing-api-1.4.2.jar}, {@code x-2.0.0-SNAPSHOT.jar}, {@code y_3.jar}: name before the version. */
    private static final Pattern VERSIONED = Pattern.compile("(.+?)[-_]v?\\d+(\\.\\d+)*([-.+].*)?");

    private final Path workingDir;

    JarManifests(Path workingDir) {
        this.workingDir = workingDir;
    }

    AppIdentity identity(String jarPath) {
        Path jar = resolve(jarPath);
        Manifest manifest = read(jar);
        if (manifest != null) {
            Attributes main = manifest.getMainAttributes();
            String cls = main.getValue("Start-Class");
            if (cls == null || cls.isBlank()) {
                cls = main.getValue("Main-Class");
            }
            if (cls != null && !EntrypointDetector.LAUNCHERS.contains(cls.strip())
                    && EntrypointDetector.isClassName(cls.strip())) {
                String label = EntryLabels.forClass(cls.strip());
                if (label != null) {
                    return new AppIdentity(label, AppIdentity.JAR);
                }
            }
        }
        return fromFileName(jarPath);
    }

    /** The jar's base name without version; generic names take their directories. */
    static AppIdentity fromFileName(String jarPath) {
        String normalised = jarPath.replace('\\', '/');
        List<String> parts = new ArrayList<>(List.of(normalised.split("/")));
        parts.removeIf(p -> p.isEmpty() || p.equals("."));
        if (parts.isEmpty()) {
            return null;
        }
        String file = parts.remove(parts.size() - 1);
        String stem = file.length() > 4 ? file.substring(0, file.length() - 4) : file;
        String label = EntryLabels.label(parts, withoutVersion(stem));
        return label == null ? null : new AppIdentity(label, AppIdentity.JAR);
    }

    static String withoutVersion(String stem) {
        Matcher m = VERSIONED.matcher(stem);
        return m.matches() ? m.group(1) : stem;
    }

    boolean exists(String jarPath) {
        Path p = resolve(jarPath);
        return p != null && Files.isRegularFile(p);
    }

    private Path resolve(String jarPath) {
        try {
            Path p = Path.of(jarPath);
            return p.isAbsolute() || workingDir == null ? p : workingDir.resolve(p);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static Manifest read(Path jar) {
        if (jar == null || !Files.isRegularFile(jar)) {
            return null;
        }
        try (JarFile f = new JarFile(jar.toFile(), false)) {
            return f.getManifest();
        } catch (IOException | RuntimeException e) {
            return null; // unreadable jar: fall back to its name
        }
    }
}
