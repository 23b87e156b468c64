package io.tagpipe.admin;

import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Connection settings shared by every Kafka client tagpipe builds: bootstrap servers plus an
 * optional .properties file (SASL/TLS …) merged in, read by {@link PropertiesFiles}; printed only
 * through {@link Secrets#masked}.
 */
public record ClientConfig(String bootstrapServers, Properties extra) {

    public ClientConfig {
        extra = copy(extra);
    }

    /** {@code file} may be null (no extra settings). */
    public static ClientConfig of(String bootstrapServers, Path file) {
        return new ClientConfig(bootstrapServers, file == null ? new Properties() : PropertiesFiles.load(file));
    }

    /** A fresh copy for one client: the extra file first, bootstrap servers on top. */
    public Properties properties() {
        Properties p = copy(extra);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    private static Properties copy(Properties p) {
        Properties c = new Properties();
        if (p != null) {
            p.stringPropertyNames().forEach(k -> c.put(k, p.getProperty(k)));
        }
        return c;
    }
}
