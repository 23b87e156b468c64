package io.tagpipe.collector;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.tagpipe.wire.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds a {@link TagpipeSender}. Checks everything at {@link #build()} and reports every
 * problem at once; nothing falls back silently to a default on a typo.
 */
public final class SenderBuilder {
    public static final int DEFAULT_QUEUE_CAPACITY = 8192;
    public static final int DEFAULT_MAX_MESSAGE_CHARS = 16 * 1024;

    private final ProcessInfo process;
    private final List<String> errors = new ArrayList<>();
    private String bootstrapServers;
    private String app;
    private String topic = Topics.RECORDS;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int maxMessageChars = DEFAULT_MAX_MESSAGE_CHARS;
    private final Properties producerProperties = new Properties();
    private Clock clock = Clock.systemUTC();
    private RecordSink sink;
    private boolean shutdownHook = true;
    private Duration closeTimeout = Duration.ofSeconds(5);

    SenderBuilder(ProcessInfo process) {
        this.process = process;
    }

    /** Test seam: detect identity (and read {@code TAGPIPE_*}) from this process description. */
    public static SenderBuilder forProcess(ProcessInfo process) {
        return new SenderBuilder(process);
    }

    public SenderBuilder bootstrapServers(String servers) { this.bootstrapServers = servers; return this; }
    public SenderBuilder app(String app) { this.app = app; return this; }
    public SenderBuilder topic(String topic) { this.topic = topic; return this; }
    public SenderBuilder queueCapacity(int capacity) { this.queueCapacity = capacity; return this; }
    public SenderBuilder maxMessageChars(int chars) { this.maxMessageChars = chars; return this; }
    public SenderBuilder clock(Clock clock) { this.clock = clock; return this; }
    public SenderBuilder shutdownHook(boolean install) { this.shutdownHook = install; return this; }
    public SenderBuilder closeTimeout(Duration timeout) { this.closeTimeout = timeout; return this; }

    /** Any producer setting (SASL, TLS, tuning); overrides tagpipe's defaults except the serializers. */
    public SenderBuilder producerProperty(String key, String value) {
        producerProperties.setProperty(key, value);
        return this;
    }

    public SenderBuilder producerProperties(Properties props) {
        props.stringPropertyNames().forEach(k -> producerProperties.setProperty(k, props.getProperty(k)));
        return this;
    }

    /** A {@code .properties} file merged into the producer config (missing or unreadable: a build error). */
    public SenderBuilder kafkaConfigFile(String file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            p.load(in);
            producerProperties(p);
        } catch (IOException | RuntimeException e) {
            errors.add("cannot read Kafka config file '" + file + "': " + e);
        }
        return this;
    }

    /** Sends to this sink instead of Kafka (tests: {@code testing.InMemorySink}). */
    public SenderBuilder sink(RecordSink sink) { this.sink = sink; return this; }

    /** Reads {@code TAGPIPE_BOOTSTRAP_SERVERS}, {@code TAGPIPE_APP}, {@code TAGPIPE_QUEUE_CAPACITY}, {@code TAGPIPE_MAX_MESSAGE_CHARS}, {@code TAGPIPE_KAFKA_CONFIG}. */
    public SenderBuilder fromEnv() {
        String servers = process.env("TAGPIPE_BOOTSTRAP_SERVERS");
        bootstrapServers(servers == null || servers.isBlank() ? "localhost:9092" : servers.strip());
        // TAGPIPE_APP is also rule 2 of identity detection; reading it there keeps app_source = env
        queueCapacity = intEnv("TAGPIPE_QUEUE_CAPACITY", queueCapacity);
        maxMessageChars = intEnv("TAGPIPE_MAX_MESSAGE_CHARS", maxMessageChars);
        String kafkaConfig = process.env("TAGPIPE_KAFKA_CONFIG");
        if (kafkaConfig != null && !kafkaConfig.isBlank()) {
            kafkaConfigFile(kafkaConfig.strip());
        }
        return this;
    }

    public TagpipeSender build() {
        List<String> problems = new ArrayList<>(errors);
        if (sink == null && (bootstrapServers == null || bootstrapServers.isBlank())) {
            problems.add("bootstrapServers is required");
        }
        if (topic == null || topic.isBlank()) problems.add("topic must not be blank");
        if (queueCapacity < 1) problems.add("queueCapacity must be at least 1, got " + queueCapacity);
        if (maxMessageChars < 64) problems.add("maxMessageChars must be at least 64, got " + maxMessageChars);
        if (clock == null) problems.add("clock must not be null");
        if (closeTimeout == null || closeTimeout.isNegative()) problems.add("closeTimeout must be positive");
        if (app != null && AppIdentity.of(app, AppIdentity.EXPLICIT) == null) {
            problems.add("app '" + app + "' has no usable label character");
        }
        Properties producerConfig = sink == null && problems.isEmpty() ? producerConfig(problems) : null;
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid tagpipe sender configuration: " + String.join("; ", problems));
        }
        AppIdentity identity = new IdentityDetector(process).detect(app);
        TagpipeSender sender = new TagpipeSender(identity, hostName(), clock, maxMessageChars,
                s -> sink != null ? sink : new KafkaRecordSink(queueCapacity, topic,
                        () -> new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer()),
                        s::droppedMetric, "tagpipe-sender-" + identity.label()),
                closeTimeout, SpanLookup.detect(SenderBuilder.class.getClassLoader()));
        if (shutdownHook) {
            sender.installShutdownHook();
        }
        return sender;
    }

    private Properties producerConfig(List<String> problems) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        // send() runs on the worker only; a short block lets it notice an unreachable broker quickly
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "tagpipe-" + (app == null ? "collector" : app));
        p.putAll(producerProperties);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try {
            ProducerConfig.configDef().parse(p); // wrong types or values: reported now, not on the worker
        } catch (RuntimeException e) {
            problems.add("invalid producer setting: " + e.getMessage());
        }
        return p;
    }

    private int intEnv(String name, int current) {
        String v = process.env(name);
        if (v == null || v.isBlank()) {
            return current;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            errors.add(name + " must be an integer, got '" + v + "'");
            return current;
        }
    }

    /** Detected once per sender; environment first, DNS only as a fallback. */
    private String hostName() {
        for (String var : List.of("HOSTNAME", "COMPUTERNAME")) {
            String h = process.env(var);
            if (h != null && !h.isBlank()) {
                return h.strip();
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
