package io.tagpipe.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tagpipe.admin.PropertiesFiles;
import io.tagpipe.admin.Secrets;
import io.tagpipe.sink.pressure.Ladder;
import io.tagpipe.sink.pressure.PressureRules;
import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.Topics;

/**
 * Validated, immutable sink configuration. {@link Builder#build()} reports every error at once.
 * {@link #toString()} never shows the password or secret Kafka properties ({@link Secrets}).
 * {@code clickhouseUrl} is the HTTP URL {@link ClickHouseUrl} made of the given one (a {@code jdbc:} URL included),
 * {@code database} the one given, else the URL's, else {@value #DEFAULT_DATABASE}.
 */
public record SinkConfig(
        String bootstrapServers, Map<String, String> kafkaProperties,
        String clickhouseUrl, String clickhouseUser, String clickhousePassword, String database,
        String groupId, List<String> keptTopics, String statsTopic, String dlqTopic,
        int batchMinRows, int batchRows, long batchBytes, Duration batchMaxWait,
        Duration backoffInitial, Duration backoffMax, Duration insertTimeout,
        Duration retentionPeriod, int defaultRetentionDays, int statsRetentionDays,
        String pressureTopic, Duration pressurePeriod, PressureRules pressureRules, boolean laneOrder,
        Duration insertTarget, Layout layout) {

    public static Builder builder() {
        return new Builder();
    }

    /** Reads the {@code TAGPIPE_*} environment (BRIEF conventions); unknown variables are ignored. */
    public static Builder fromEnv(Map<String, String> env) {
        Builder b = builder();
        opt(env, "TAGPIPE_BOOTSTRAP_SERVERS").ifPresent(b::bootstrapServers);
        opt(env, "TAGPIPE_KAFKA_CONFIG").ifPresent(f -> b.kafkaConfigFile(Path.of(f)));
        opt(env, "TAGPIPE_CLICKHOUSE_URL").ifPresent(b::clickhouseUrl);
        opt(env, "TAGPIPE_CLICKHOUSE_USER").ifPresent(b::clickhouseUser);
        b.clickhousePassword(password(env));
        opt(env, "TAGPIPE_CLICKHOUSE_DATABASE").ifPresent(b::database);
        opt(env, "TAGPIPE_SINK_CLICKHOUSE_CLUSTER").ifPresent(b::clickhouseCluster);
        opt(env, "TAGPIPE_SINK_CLICKHOUSE_ZOOKEEPER_PATH").ifPresent(b::clickhouseZooKeeperPath);
        opt(env, "TAGPIPE_SINK_GROUP_ID").ifPresent(b::groupId);
        opt(env, "TAGPIPE_SINK_KEPT_TOPICS").ifPresent(b::keptTopics);
        opt(env, "TAGPIPE_SINK_STATS_TOPIC").ifPresent(b::statsTopic);
        opt(env, "TAGPIPE_SINK_DLQ_TOPIC").ifPresent(b::dlqTopic);
        opt(env, "TAGPIPE_SINK_BATCH_ROWS").ifPresent(s -> b.batchRows(Integer.parseInt(s)));
        opt(env, "TAGPIPE_SINK_BATCH_MIN_ROWS").ifPresent(s -> b.batchMinRows(Integer.parseInt(s)));
        opt(env, "TAGPIPE_SINK_INSERT_TARGET_MS").ifPresent(s -> b.insertTarget(Duration.ofMillis(Long.parseLong(s))));
        opt(env, "TAGPIPE_SINK_BATCH_MS").ifPresent(s -> b.batchMaxWait(Duration.ofMillis(Long.parseLong(s))));
        opt(env, "TAGPIPE_SINK_RETENTION_PERIOD_S").ifPresent(s -> b.retentionPeriod(Duration.ofSeconds(Long.parseLong(s))));
        opt(env, "TAGPIPE_SINK_PRESSURE_TOPIC").ifPresent(b::pressureTopic);
        opt(env, "TAGPIPE_SINK_PRESSURE_PERIOD_MS").ifPresent(s -> b.pressurePeriod(Duration.ofMillis(Long.parseLong(s))));
        b.pressureRules(pressureRules(env, PressureRules.defaults()));
        return b;
    }

    /**
     * {@code rules} with what the environment changes: {@code TAGPIPE_SINK_PRESSURE_INSERT_LATENCY_MS}
     * and {@code TAGPIPE_SINK_PRESSURE_BACKLOG_AGE_MS} (four thresholds, for levels 1..4, e.g.
     * {@code 2000,5000,15000,30000}), {@code TAGPIPE_SINK_PRESSURE_CALM_MS}, {@code TAGPIPE_SINK_PRESSURE_HOLD_MS}.
     */
    public static PressureRules pressureRules(Map<String, String> env, PressureRules rules) {
        PressureRules r = rules;
        var latency = opt(env, "TAGPIPE_SINK_PRESSURE_INSERT_LATENCY_MS");
        if (latency.isPresent()) {
            r = named("TAGPIPE_SINK_PRESSURE_INSERT_LATENCY_MS (--pressure-insert-latency-ms)", latency.get(),
                    r, (rr, v) -> rr.withInsertLatencyMs(Ladder.parse(v, false)));
        }
        var age = opt(env, "TAGPIPE_SINK_PRESSURE_BACKLOG_AGE_MS");
        if (age.isPresent()) {
            r = named("TAGPIPE_SINK_PRESSURE_BACKLOG_AGE_MS (--pressure-backlog-age-ms)", age.get(),
                    r, (rr, v) -> rr.withBacklogAgeMs(Ladder.parse(v, false)));
        }
        var calm = opt(env, "TAGPIPE_SINK_PRESSURE_CALM_MS");
        if (calm.isPresent()) {
            r = named("TAGPIPE_SINK_PRESSURE_CALM_MS (--pressure-calm-ms)", calm.get(), r,
                    (rr, v) -> rr.withTiming(Duration.ofMillis(Long.parseLong(v)), rr.hold()));
        }
        var hold = opt(env, "TAGPIPE_SINK_PRESSURE_HOLD_MS");
        if (hold.isPresent()) {
            r = named("TAGPIPE_SINK_PRESSURE_HOLD_MS (--pressure-hold-ms)", hold.get(), r,
                    (rr, v) -> rr.withTiming(rr.calm(), Duration.ofMillis(Long.parseLong(v))));
        }
        return r;
    }

    /** Applies one setting; a bad value is an error naming the setting and the value. */
    private static PressureRules named(String name, String value, PressureRules r,
                                       java.util.function.BiFunction<PressureRules, String, PressureRules> apply) {
        try {
            return apply.apply(r, value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of milliseconds, got '" + value + "'");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** {@code TAGPIPE_CLICKHOUSE_PASSWORD}, else the first line of {@code TAGPIPE_CLICKHOUSE_PASSWORD_FILE}, else empty. */
    public static String password(Map<String, String> env) {
        var direct = opt(env, "TAGPIPE_CLICKHOUSE_PASSWORD");
        if (direct.isPresent()) {
            return direct.get();
        }
        return opt(env, "TAGPIPE_CLICKHOUSE_PASSWORD_FILE").map(f -> {
            try {
                return Files.readString(Path.of(f), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read TAGPIPE_CLICKHOUSE_PASSWORD_FILE " + f + ": " + e.getMessage());
            }
        }).orElse("");
    }

    private static java.util.Optional<String> opt(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(v.strip());
    }

    @Override
    public String toString() {
        return "SinkConfig[bootstrap=" + bootstrapServers + ", kafka=" + Secrets.masked(kafkaProperties)
                + ", clickhouse=" + clickhouseUrl + ", user=" + clickhouseUser
                + ", password=" + (clickhousePassword.isEmpty() ? "(none)" : "(set)") + ", database=" + database
                + ", layout=" + layout
                + ", group=" + groupId + ", kept=" + keptTopics + (laneOrder ? " (in order)" : "") + ", stats=" + statsTopic + ", dlq=" + dlqTopic
                + ", batch=" + batchMinRows + ".." + batchRows + " rows/" + batchBytes + " B/" + batchMaxWait.toMillis() + " ms"
                + " (insert target " + insertTarget.toMillis() + " ms)"
                + ", retentionPeriod=" + retentionPeriod + ", pressure=" + pressureTopic + " every "
                + pressurePeriod.toMillis() + " ms]";
    }

    public static final String DEFAULT_DATABASE = "tagpipe";
    private static final String NAME_RULE = " (1..249 of a-z A-Z 0-9 . _ -)";

    /** Mutable builder with working local defaults; the kept topics default to every lane, highest first. */
    public static final class Builder {
        private String bootstrapServers = "localhost:9092";
        private Map<String, String> kafkaProperties = Map.of();
        private String clickhouseUrl = "http://localhost:8123";
        private String clickhouseUser = "default";
        private String clickhousePassword = "";
        /** Null until set: then the URL's database (JDBC form), else {@link #DEFAULT_DATABASE}. */
        private String database;
        private String groupId = "tagpipe-sink";
        private List<String> keptTopics = ProcessorTopics.defaults().lanes();
        private String statsTopic = Topics.STATS;
        private String dlqTopic = Topics.DLQ;
        private int batchMinRows = 10_000;
        private int batchRows = 50_000;
        private long batchBytes = 64L * 1024 * 1024;
        private Duration insertTarget = Duration.ofSeconds(2);
        private Duration batchMaxWait = Duration.ofSeconds(1);
        private Duration backoffInitial = Duration.ofMillis(500);
        private Duration backoffMax = Duration.ofSeconds(30);
        private Duration insertTimeout = Duration.ofSeconds(60);
        private Duration retentionPeriod = Duration.ofHours(1);
        private int defaultRetentionDays = 30;
        private int statsRetentionDays = 90;
        private String pressureTopic = Topics.PRESSURE;
        private Duration pressurePeriod = Duration.ofSeconds(5);
        private PressureRules pressureRules = PressureRules.defaults();
        private boolean laneOrder = true;
        private String clickhouseCluster;
        private String clickhouseZooKeeperPath = Layout.DEFAULT_ZOOKEEPER_PATH;

        public Builder bootstrapServers(String v) { bootstrapServers = v; return this; }
        public Builder kafkaProperties(Map<String, String> v) { kafkaProperties = Map.copyOf(v); return this; }
        /** The Kafka client settings of a .properties file (SASL/TLS …), read by {@link PropertiesFiles}. */
        public Builder kafkaConfigFile(Path file) { return kafkaProperties(PropertiesFiles.toMap(PropertiesFiles.load(file))); }
        public Builder clickhouseUrl(String v) { clickhouseUrl = v; return this; }
        public Builder clickhouseUser(String v) { clickhouseUser = v; return this; }
        public Builder clickhousePassword(String v) { clickhousePassword = v == null ? "" : v; return this; }
        /** Null or blank: the database the URL names (JDBC form), else {@value SinkConfig#DEFAULT_DATABASE}. */
        public Builder database(String v) { database = v == null || v.isBlank() ? null : v; return this; }
        /** The cluster (name in the servers' {@code remote_servers}) to write to; null or blank: one server. */
        public Builder clickhouseCluster(String v) { clickhouseCluster = v == null || v.isBlank() ? null : v.strip(); return this; }
        /** Prefix of the replicated tables' ZooKeeper paths on a cluster; must hold {@code {shard}}. */
        public Builder clickhouseZooKeeperPath(String v) { clickhouseZooKeeperPath = v; return this; }
        public Builder groupId(String v) { groupId = v; return this; }
        /** Highest priority first: while a topic has lag, the ones after it are paused (see {@link #laneOrder}). */
        public Builder keptTopics(List<String> v) { keptTopics = List.copyOf(v); return this; }
        /** A comma-separated list, as {@code TAGPIPE_SINK_KEPT_TOPICS} and {@code --kept-topics} give it. */
        public Builder keptTopics(String commaSeparated) {
            return keptTopics(Arrays.stream(commaSeparated.split(",", -1)).map(String::strip).toList());
        }
        /** False: every kept topic is consumed at once, no lane waits for another (for comparisons). */
        public Builder laneOrder(boolean v) { laneOrder = v; return this; }
        public Builder statsTopic(String v) { statsTopic = v; return this; }
        public Builder dlqTopic(String v) { dlqTopic = v; return this; }
        public Builder batchRows(int v) { batchRows = v; return this; }
        public Builder batchMinRows(int v) { batchMinRows = v; return this; }
        public Builder batchBytes(long v) { batchBytes = v; return this; }
        /** How long one INSERT should take at most: batches shrink to what ClickHouse inserts in that time (0 = off). */
        public Builder insertTarget(Duration v) { insertTarget = v; return this; }
        public Builder batchMaxWait(Duration v) { batchMaxWait = v; return this; }
        public Builder backoff(Duration initial, Duration max) { backoffInitial = initial; backoffMax = max; return this; }
        public Builder insertTimeout(Duration v) { insertTimeout = v; return this; }
        public Builder retentionPeriod(Duration v) { retentionPeriod = v; return this; }
        public Builder defaultRetentionDays(int v) { defaultRetentionDays = v; return this; }
        public Builder statsRetentionDays(int v) { statsRetentionDays = v; return this; }
        public Builder pressureTopic(String v) { pressureTopic = v; return this; }
        /** How often the headroom is measured and the level published. */
        public Builder pressurePeriod(Duration v) { pressurePeriod = v; return this; }
        public Builder pressureRules(PressureRules v) { pressureRules = v; return this; }

        public SinkConfig build() {
            List<String> errors = new ArrayList<>();
            check(errors, bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrap servers are empty");
            String url = null;
            String db = database == null ? DEFAULT_DATABASE : database;
            try {
                ClickHouseUrl parsed = ClickHouseUrl.parse(clickhouseUrl);
                url = parsed.httpUrl();
                db = parsed.database(database, DEFAULT_DATABASE);
            } catch (IllegalArgumentException e) {
                errors.add("ClickHouse URL: " + e.getMessage());
            }
            check(errors, clickhouseUser != null && !clickhouseUser.isBlank(), "ClickHouse user is empty");
            check(errors, db.matches("[A-Za-z_][A-Za-z0-9_]*"),
                    "database must match [A-Za-z_][A-Za-z0-9_]*, got '" + db + "'");
            check(errors, groupId != null && !groupId.isBlank(), "group id is empty");
            checkTopics(errors);
            check(errors, clickhouseCluster == null || clickhouseCluster.matches("[A-Za-z0-9_.-]+"),
                    "ClickHouse cluster name must be 1+ of A-Z a-z 0-9 _ . -, got '" + clickhouseCluster + "'");
            check(errors, clickhouseZooKeeperPath != null && clickhouseZooKeeperPath.startsWith("/")
                            && clickhouseZooKeeperPath.contains("{shard}"),
                    "ClickHouse ZooKeeper path must start with / and hold the {shard} macro (each shard replicates "
                            + "on its own path), got '" + clickhouseZooKeeperPath + "'");
            check(errors, batchRows > 0 && batchRows <= 1_000_000, "batch rows must be 1..1000000, got " + batchRows);
            check(errors, batchMinRows > 0, "batch min rows must be positive, got " + batchMinRows);
            check(errors, batchBytes > 0, "batch bytes must be positive");
            check(errors, insertTarget != null && !insertTarget.isNegative() && insertTarget.toMinutes() < 10,
                    "insert target must be 0 (off) .. 10 min, got " + (insertTarget == null ? null : insertTarget.toMillis() + " ms"));
            check(errors, positive(batchMaxWait), "batch max wait must be positive");
            check(errors, positive(backoffInitial) && positive(backoffMax) && backoffMax.compareTo(backoffInitial) >= 0,
                    "backoff must be positive with max >= initial");
            check(errors, positive(insertTimeout), "insert timeout must be positive");
            check(errors, positive(retentionPeriod), "retention period must be positive");
            check(errors, defaultRetentionDays >= 1 && defaultRetentionDays <= 3650, "default retention must be 1..3650 days");
            check(errors, statsRetentionDays >= 1 && statsRetentionDays <= 3650, "stats retention must be 1..3650 days");
            check(errors, pressurePeriod != null && pressurePeriod.toMillis() >= 100 && pressurePeriod.toMinutes() <= 5,
                    "pressure period must be 100 ms..5 min, got " + (pressurePeriod == null ? null : pressurePeriod.toMillis() + " ms"));
            check(errors, pressureRules != null, "pressure rules are missing");
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("invalid sink configuration: " + String.join("; ", errors));
            }
            return new SinkConfig(bootstrapServers, kafkaProperties, url, clickhouseUser, clickhousePassword,
                    db, groupId, keptTopics, statsTopic, dlqTopic, Math.min(batchMinRows, batchRows), batchRows, batchBytes, batchMaxWait,
                    backoffInitial, backoffMax, insertTimeout, retentionPeriod, defaultRetentionDays, statsRetentionDays,
                    pressureTopic, pressurePeriod, pressureRules, laneOrder, insertTarget,
                    clickhouseCluster == null ? Layout.single() : Layout.cluster(clickhouseCluster, clickhouseZooKeeperPath));
        }

        private void checkTopics(List<String> errors) {
            check(errors, !keptTopics.isEmpty(), "kept topics are empty");
            for (String t : keptTopics) {
                check(errors, Topics.isValidName(t), "kept topic '" + t + "' is not a valid topic name" + NAME_RULE);
            }
            check(errors, Set.copyOf(keptTopics).size() == keptTopics.size(), "a kept topic is listed twice: " + keptTopics);
            check(errors, Topics.isValidName(statsTopic), "stats topic '" + statsTopic + "' is not a valid topic name" + NAME_RULE);
            check(errors, !keptTopics.contains(statsTopic), "stats topic '" + statsTopic + "' is also a kept topic");
            check(errors, Topics.isValidName(dlqTopic), "DLQ topic '" + dlqTopic + "' is not a valid topic name" + NAME_RULE);
            check(errors, Topics.isValidName(pressureTopic),
                    "pressure topic '" + pressureTopic + "' is not a valid topic name" + NAME_RULE);
        }

        private static boolean positive(Duration d) {
            return d != null && !d.isNegative() && !d.isZero();
        }

        private static void check(List<String> errors, boolean ok, String message) {
            if (!ok) {
                errors.add(message);
            }
        }
    }
}
