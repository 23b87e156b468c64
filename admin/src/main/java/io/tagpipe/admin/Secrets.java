package io.tagpipe.admin;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The one rule for which settings are secret, and the only way tagpipe prints settings: the
 * processor's and the sink's startup banners and every command go through {@link #masked}, so a
 * password, key or JAAS line never reaches a terminal or a log.
 */
public final class Secrets {
    /** What a secret value is printed as. */
    public static final String MASK = "****";

    private Secrets() {
    }

    /**
     * Passwords, secrets, JAAS configurations and private keys ({@code ssl.keystore.key}, any
     * {@code *.key}): Kafka's own secret settings all match, and so do the names users give theirs.
     */
    static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("sasl.jaas.config") || k.endsWith(".key");
    }

    /** Sorted settings with every secret value replaced by {@value #MASK}. */
    public static Map<String, String> masked(Map<String, String> settings) {
        Map<String, String> out = new TreeMap<>();
        settings.forEach((k, v) -> out.put(k, isSecret(k) ? MASK : v));
        return out;
    }

    /** As {@link #masked(Map)}, for the string settings of {@code p}. */
    public static Map<String, String> masked(Properties p) {
        return masked(PropertiesFiles.toMap(p));
    }
}
