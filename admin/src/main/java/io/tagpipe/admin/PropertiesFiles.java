package io.tagpipe.admin;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The one loader of the {@code .properties} files every program reads ({@code --kafka-config},
 * {@code TAGPIPE_KAFKA_CONFIG}, the processor's {@code --config}). Files are read as UTF-8, so a
 * password with non-ASCII characters arrives as written; a file that is not UTF-8 is refused with its
 * name rather than read with mangled characters.
 */
public final class PropertiesFiles {
    private PropertiesFiles() {
    }

    /** @throws IllegalArgumentException naming the file when it cannot be read */
    public static Properties load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read properties file " + file + ": " + e, e);
        }
        return p;
    }

    /** The string settings of {@code p} as a map. */
    public static Map<String, String> toMap(Properties p) {
        Map<String, String> m = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }
}
