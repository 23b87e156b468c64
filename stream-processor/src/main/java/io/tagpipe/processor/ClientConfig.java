package io.tagpipe.processor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Connection settings shared by every Kafka client tagpipe builds: bootstrap servers plus an
 * optional .properties file (SASL/TLS …) merged in. {@link #masked(Properties)} is the only way
 * settings are printed, so secrets never reach a terminal or a log.
 */
public record ClientConfig(String bootstrapServers, Properties extra) {

    public ClientConfig {
        extra = copy(extra);
    }

    /** {@code file} may be null (no extra settings). */
    public static ClientConfig of(String bootstrapServers, Path file) {
        return new ClientConfig(bootstrapServers, file == null ? new Properties() : load(file));
    }

    /** A fresh copy for one client: the extra file first, bootstrap servers on top. */
    public Properties properties() {
        Properties p = copy(extra);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    public static Properties load(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read properties file " + file + ": " + e.getMessage(), e);
        }
        return p;
    }

    /** Sorted settings with the values of password/secret/JAAS keys replaced by {@code ****}. */
    public static Map<String, String> masked(Properties p) {
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, isSecret(k) ? "****" : p.getProperty(k)));
        return out;
    }

    static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("sasl.jaas.config") || k.endsWith(".key");
    }

    private static Properties copy(Properties p) {
        Properties c = new Properties();
        if (p != null) {
            p.stringPropertyNames().forEach(k -> c.put(k, p.getProperty(k)));
        }
        return c;
    }
}
