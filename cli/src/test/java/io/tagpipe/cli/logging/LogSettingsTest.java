package io.tagpipe.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;

class LogSettingsTest {
    private static final Properties NONE = new Properties();

    @Test
    void defaultsAreTextAtInfoWithKafkaAtWarn() {
        LogSettings s = LogSettings.from(Map.of(), NONE);

        assertThat(s).isEqualTo(LogSettings.defaults());
        assertThat(s.format()).isEqualTo(LogSettings.Format.TEXT);
        assertThat(s.loggers()).containsEntry(LogSettings.ROOT, Level.INFO)
                .containsEntry("org.apache.kafka", Level.WARN)
                .containsEntry(LogSettings.STATUS, Level.INFO);
    }

    @Test
    void jsonFormatFromTheEnvironmentInAnyCase() {
        assertThat(LogSettings.from(Map.of("TAGPIPE_LOG_FORMAT", " JSON "), NONE).format()).isEqualTo(LogSettings.Format.JSON);
        assertThat(LogSettings.from(Map.of("TAGPIPE_LOG_FORMAT", "text"), NONE).format()).isEqualTo(LogSettings.Format.TEXT);
    }

    @Test
    void levelListSetsTheRootAndNamedLoggers() {
        LogSettings s = LogSettings.from(Map.of("TAGPIPE_LOG_LEVEL", "warn, io.tagpipe=DEBUG ,org.apache.kafka=info,root=error"), NONE);

        assertThat(s.loggers()).containsEntry(LogSettings.ROOT, Level.ERROR)
                .containsEntry("io.tagpipe", Level.DEBUG)
                .containsEntry("org.apache.kafka", Level.INFO)
                .doesNotContainKey("root");
    }

    @Test
    void slf4jSimplePropertiesStillWorkAndTheEnvironmentWins() {
        Properties p = new Properties();
        p.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        p.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "debug");
        p.setProperty("org.slf4j.simpleLogger.log.io.tagpipe.sink", "trace");

        LogSettings s = LogSettings.from(Map.of("TAGPIPE_LOG_LEVEL", "io.tagpipe.sink=off"), p);

        assertThat(s.loggers()).containsEntry(LogSettings.ROOT, Level.WARN)
                .containsEntry("org.apache.kafka", Level.DEBUG)
                .containsEntry("io.tagpipe.sink", Level.OFF);
    }

    @Test
    void namesEveryBadSettingAtOnceInsteadOfFallingBackToADefault() {
        Properties p = new Properties();
        p.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "loud");

        assertThatThrownBy(() -> LogSettings.from(Map.of("TAGPIPE_LOG_FORMAT", "jsn",
                "TAGPIPE_LOG_LEVEL", "info,io.tagpipe=verbose,=debug"), p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TAGPIPE_LOG_FORMAT: 'jsn' is not a log format (text or json)")
                .hasMessageContaining("TAGPIPE_LOG_LEVEL: 'verbose' is not a level (trace, debug, info, warn, error, off) for logger io.tagpipe")
                .hasMessageContaining("TAGPIPE_LOG_LEVEL: '=debug' names no logger")
                .hasMessageContaining("-Dorg.slf4j.simpleLogger.defaultLogLevel: 'loud' is not a level");
    }

    @Test
    void blankSettingsMeanTheDefaults() {
        assertThat(LogSettings.from(Map.of("TAGPIPE_LOG_FORMAT", " ", "TAGPIPE_LOG_LEVEL", ""), NONE))
                .isEqualTo(LogSettings.defaults());
    }
}
