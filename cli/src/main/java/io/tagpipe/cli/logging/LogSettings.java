package io.tagpipe.cli.logging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import ch.qos.logback.classic.Level;

/**
 * How the production program logs: the line format and the levels. Read from the environment
 * ({@code TAGPIPE_LOG_FORMAT}, {@code TAGPIPE_LOG_LEVEL}) over the slf4j-simple system properties the
 * image documented before ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=…},
 * {@code -Dorg.slf4j.simpleLogger.log.NAME=…}, e.g. in {@code JAVA_TOOL_OPTIONS}), over the defaults:
 * everything at INFO, Kafka's own clients at WARN, the programs' status lines ({@value #STATUS}) at INFO.
 *
 * @param loggers levels by logger name, the root logger under {@value org.slf4j.Logger#ROOT_LOGGER_NAME}
 */
public record LogSettings(Format format, Map<String, Level> loggers) {
    public static final String FORMAT_ENV = "TAGPIPE_LOG_FORMAT";
    public static final String LEVEL_ENV = "TAGPIPE_LOG_LEVEL";
    /**
     * Parent of the loggers processor and sink report their start, state and stop on ({@code tagpipe.processor},
     * {@code tagpipe.sink}): plain lines on stdout in text, events like any other in JSON.
     */
    public static final String STATUS = "tagpipe";
    static final String ROOT = org.slf4j.Logger.ROOT_LOGGER_NAME;
    private static final String SIMPLE_DEFAULT = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final String SIMPLE_LOGGER = "org.slf4j.simpleLogger.log.";
    private static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");

    /** {@code text}: today's {@code [thread] LEVEL logger - message} lines; {@code json}: one JSON object per line. */
    public enum Format { TEXT, JSON }

    public LogSettings {
        loggers = Map.copyOf(loggers);
    }

    /** What a program with no logging settings gets. */
    public static LogSettings defaults() {
        return new LogSettings(Format.TEXT, defaultLevels());
    }

    private static Map<String, Level> defaultLevels() {
        Map<String, Level> levels = new LinkedHashMap<>();
        levels.put(ROOT, Level.INFO);
        levels.put("org.apache.kafka", Level.WARN);
        levels.put(STATUS, Level.INFO);
        return levels;
    }

    /**
     * The settings {@code env} and {@code properties} give.
     * {@code TAGPIPE_LOG_LEVEL} is a comma-separated list: a bare level sets the root logger, {@code NAME=LEVEL}
     * one logger and those below it, e.g. {@code warn,io.tagpipe=info,org.apache.kafka=info}.
     *
     * @throws IllegalArgumentException naming every bad value at once (no silent fallback to a default)
     */
    public static LogSettings from(Map<String, String> env, Properties properties) {
        List<String> errors = new ArrayList<>();
        Map<String, Level> levels = defaultLevels();
        String simpleDefault = properties.getProperty(SIMPLE_DEFAULT);
        if (simpleDefault != null) {
            put(levels, ROOT, simpleDefault, "-D" + SIMPLE_DEFAULT, errors);
        }
        for (String key : properties.stringPropertyNames().stream().sorted().toList()) {
            if (key.startsWith(SIMPLE_LOGGER) && key.length() > SIMPLE_LOGGER.length()) {
                put(levels, key.substring(SIMPLE_LOGGER.length()), properties.getProperty(key), "-D" + key, errors);
            }
        }
        String levelList = env.get(LEVEL_ENV);
        if (levelList != null && !levelList.isBlank()) {
            for (String entry : levelList.split(",")) {
                int eq = entry.indexOf('=');
                String name = eq < 0 ? ROOT : entry.substring(0, eq).strip();
                if (name.isEmpty()) {
                    errors.add(LEVEL_ENV + ": '" + entry.strip() + "' names no logger (NAME=LEVEL, or a bare LEVEL for all)");
                } else {
                    put(levels, name, eq < 0 ? entry : entry.substring(eq + 1), LEVEL_ENV, errors);
                }
            }
        }
        Format format = format(env.get(FORMAT_ENV), errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new LogSettings(format, levels);
    }

    private static Format format(String raw, List<String> errors) {
        if (raw == null || raw.isBlank()) {
            return Format.TEXT;
        }
        try {
            return Format.valueOf(raw.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(FORMAT_ENV + ": '" + raw.strip() + "' is not a log format (text or json)");
            return Format.TEXT;
        }
    }

    private static void put(Map<String, Level> levels, String logger, String raw, String source, List<String> errors) {
        String level = raw.strip().toLowerCase(Locale.ROOT);
        if (LEVELS.contains(level)) {
            levels.put(ROOT.equalsIgnoreCase(logger) ? ROOT : logger, Level.toLevel(level));
        } else {
            errors.add(source + ": '" + raw.strip() + "' is not a level (" + String.join(", ", LEVELS) + ")"
                    + (ROOT.equals(logger) ? "" : " for logger " + logger));
        }
    }
}
