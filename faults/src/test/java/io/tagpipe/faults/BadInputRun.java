package io.tagpipe.faults;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.tagpipe.admin.policy.PolicyClient;
import io.tagpipe.sink.Dialect;
import io.tagpipe.sink.Sql;
import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.Topics;
import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;

/** Sends every bad-input case (good records around each) through a running pipeline and reads the outcome. */
final class BadInputRun {
    static final int GOOD_PER_CASE = 2;
    static final int TENANTS = 10_000;
    static final int GUARDED = 400;
    static final int RETIRED = 200;
    static final String HOSTILE_ID = "hostile-1";
    static final String UNKNOWN_FIELDS_ID = "unknown-fields-1";
    static final String PAST_ID = "past-1";
    static final String FUTURE_ID = "future-1";
    static final long PAST_TS = 0L;
    static final long FUTURE_TS = 13_569_465_600_000L; // year 2400
    /** DLQ key (the record's key) → reason prefix. */
    static final Map<String, String> EXPECTED_DLQ = Map.of(
            "malformed-json", "malformed_json", "missing-app", "missing_field", "missing-ts", "missing_field",
            "missing-kind", "missing_field", "two-megabytes", "too_large", "invalid-utf8", "malformed_json",
            "empty", "empty", "poison", "clickhouse_rejected");

    private final KafkaBroker kafka;
    private final ClickHouse ch;
    private final Pipeline p;
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final long now = System.currentTimeMillis();
    private int good;
    private Expectation expectation;
    private Set<String> expected;

    BadInputRun(KafkaBroker kafka, ClickHouse ch, Pipeline p) {
        this.kafka = kafka;
        this.ch = ch;
        this.p = p;
    }

    static Map<String, Policy> policies() {
        try {
            Map<String, Policy> m = new LinkedHashMap<>();
            m.put("good", Policy.of(Map.of("importance", "high")));
            m.put("guarded", Policy.of(Map.of("sample_rate", 0.5)));
            m.put("retired", Policy.of(Map.of("importance", "high", "retention_days", 90)));
            return m;
        } catch (InvalidPolicyException e) {
            throw new IllegalStateException(e);
        }
    }

    void execute() throws Exception {
        p.startProcessor(0);
        p.startSink();
        FaultRun.awaitRunning(p, 1);
        // a server-side guard so ClickHouse itself refuses one row (the sink's RowBinary cannot be malformed)
        ch.query("ALTER TABLE " + p.db + ".logs ADD COLUMN guard UInt8 MATERIALIZED throwIf(message = 'poison-row')");
        try (KafkaProducer<byte[], byte[]> producer = p.producer()) {
            sendCases(producer);
            sendPolicyCases(producer);
            producer.flush();
        }
        expectation = Expectation.fromTopic(kafka.bootstrapServers(), p.topics.records(), policies());
        expected = new HashSet<>(expectation.survivors());
        expected.remove("poison-1");
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).during(Duration.ofSeconds(3))
                .until(() -> p.storedCount() == expected.size() && statsPerApp().equals(expectedStatsPerApp())
                        && p.drained() && dlqReasons().size() == EXPECTED_DLQ.size());
    }

    private void sendCases(KafkaProducer<byte[], byte[]> producer) {
        raw(producer, "malformed-json", "{\"v\":1,\"id\":\"x\",\"app\":");
        raw(producer, "missing-app", "{\"v\":1,\"id\":\"ma\",\"kind\":\"log\",\"ts\":" + now + "}");
        raw(producer, "missing-ts", "{\"v\":1,\"id\":\"mt\",\"app\":\"good\",\"kind\":\"log\"}");
        raw(producer, "missing-kind", "{\"v\":1,\"id\":\"mk\",\"app\":\"good\",\"ts\":" + now + "}");
        raw(producer, "two-megabytes", bigRecord());
        byte[] utf8 = "{\"v\":1,\"id\":\"u\",\"app\":\"good\",\"kind\":\"log\",\"ts\":1,\"message\":\"__\"}".getBytes(StandardCharsets.UTF_8);
        int at = new String(utf8, StandardCharsets.UTF_8).indexOf("__");
        utf8[at] = (byte) 0xC3;
        utf8[at + 1] = (byte) 0x28;
        raw(producer, "invalid-utf8", utf8);
        raw(producer, "empty", new byte[0]);
        send(producer, Envelope.log(HOSTILE_ID, "good", now).level("INFO").message(BadInputIT.HOSTILE)
                .attrs(Map.of("label", BadInputIT.HOSTILE, "k" + BadInputIT.HOSTILE.substring(0, 60), "v")).build());
        raw(producer, "good", "{\"v\":1,\"id\":\"" + UNKNOWN_FIELDS_ID + "\",\"app\":\"good\",\"kind\":\"log\",\"ts\":"
                + now + ",\"colour\":\"teal\",\"nested\":{\"a\":1}}");
        send(producer, Envelope.log(PAST_ID, "good", PAST_TS).level("INFO").message("past").build());
        send(producer, Envelope.log(FUTURE_ID, "good", FUTURE_TS).level("INFO").message("future").build());
        send(producer, Envelope.log("poison-1", "poison", now).level("INFO").message("poison-row").build());
        for (int i = 0; i < TENANTS; i++) {
            String app = String.format("tenant-%05d", i);
            producer.send(new ProducerRecord<>(p.topics.records(), app.getBytes(StandardCharsets.UTF_8), codec.encode(Envelope.log("tenant-" + i, app, now + i % 1000).level("INFO").message("t").build())));
        }
    }

    /** Invalid policy records for "guarded" (ignored: sample 0.5 stays), and a tombstone for "retired". */
    private void sendPolicyCases(KafkaProducer<byte[], byte[]> producer) throws Exception {
        for (String bad : List.of("{not json", "{\"importance\":\"urgent\"}", "{\"sample_rate\":-0.1}", "{\"sample_rate\":1.5}")) {
            producer.send(new ProducerRecord<>(p.topics.policies(), "guarded".getBytes(StandardCharsets.UTF_8),
                    bad.getBytes(StandardCharsets.UTF_8))).get();
        }
        for (int i = 0; i < GUARDED; i++) {
            send(producer, Envelope.log("guarded-" + i, "guarded", now + i).level("INFO").message("g").build());
        }
        for (int i = 0; i < RETIRED; i++) {
            send(producer, Envelope.log("retired-before-" + i, "retired", now).level("INFO").message("r").build());
        }
        producer.flush();
        await().atMost(Duration.ofSeconds(120)).until(() -> storedForApp("retired") == RETIRED);
        new PolicyClient(p.client(), p.topics.policies(), Duration.ofSeconds(30)).remove("retired");
        await().atMost(Duration.ofSeconds(60)).until(() -> lastPolicies().contains("guarded")
                && !lastPolicies().contains("retired"));
        for (int i = 0; i < RETIRED; i++) {
            send(producer, Envelope.log("retired-after-" + i, "retired", now).level("INFO").message("r").build());
        }
    }

    private String lastPolicies() {
        List<String> lines = p.processor(0).output().lines().filter(l -> l.startsWith("POLICIES")).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private void send(KafkaProducer<byte[], byte[]> producer, Envelope e) {
        goodAround(producer);
        producer.send(new ProducerRecord<>(p.topics.records(), e.app().getBytes(StandardCharsets.UTF_8), codec.encode(e)));
        goodAround(producer);
    }

    private void raw(KafkaProducer<byte[], byte[]> producer, String key, String json) {
        raw(producer, key, json.getBytes(StandardCharsets.UTF_8));
    }

    private void raw(KafkaProducer<byte[], byte[]> producer, String key, byte[] value) {
        goodAround(producer);
        producer.send(new ProducerRecord<>(p.topics.records(), key.getBytes(StandardCharsets.UTF_8), value));
        goodAround(producer);
    }

    private void goodAround(KafkaProducer<byte[], byte[]> producer) {
        for (int i = 0; i < GOOD_PER_CASE / 2; i++) {
            Envelope e = Envelope.log("good-" + (good++), "good", now).level("INFO").message("fine").build();
            producer.send(new ProducerRecord<>(p.topics.records(), "good".getBytes(StandardCharsets.UTF_8), codec.encode(e)));
        }
    }

    Verdict verdict() {
        return Verdict.of("bad input", expectation.received().size(), expected, p.storedIds(), 0, "");
    }

    int goodSent() {
        return good;
    }

    long storedGoodRecords() {
        return ch.queryLong("SELECT count() FROM " + p.db + ".logs WHERE id LIKE 'good-%'");
    }

    Map<String, Long> statsPerApp() {
        return p.statsPerApp();
    }

    /** Readable records per app, plus one unreadable count under each DLQ'd record's key. */
    Map<String, Long> expectedStatsPerApp() {
        Map<String, Long> m = new HashMap<>(expectation.receivedPerApp());
        EXPECTED_DLQ.keySet().stream().filter(k -> !k.equals("poison")).forEach(k -> m.merge(k, 1L, Long::sum));
        return m;
    }

    long unreadableCounted() {
        return ch.queryLong("SELECT sum(count) FROM " + p.db + ".ingest_stats WHERE reason = 'unreadable'");
    }

    long unreadableSent() {
        return expectation.unreadable();
    }

    Map<String, List<String>> dlqReasons() {
        Map<String, List<String>> out = new HashMap<>();
        for (List<ConsumerRecord<byte[], byte[]>> part : Expectation.readByPartition(kafka.bootstrapServers(), p.topics.dlq())) {
            for (ConsumerRecord<byte[], byte[]> r : part) {
                var h = r.headers().lastHeader(Topics.DLQ_REASON_HEADER);
                out.computeIfAbsent(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(h == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private byte[] bigRecord() {
        return codec.encode(Envelope.log("big-1", "good", now).message("x".repeat(2_100_000)).build());
    }

    int bigRecordSize() {
        return bigRecord().length;
    }

    String dlqHeader(String key, String header) {
        return Expectation.readByPartition(kafka.bootstrapServers(), p.topics.dlq()).stream().flatMap(List::stream)
                .filter(r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .map(r -> r.headers().lastHeader(header)).filter(h -> h != null)
                .map(h -> new String(h.value(), StandardCharsets.UTF_8)).findFirst().orElse(null);
    }

    int dlqValueSize(String key) {
        return Expectation.readByPartition(kafka.bootstrapServers(), p.topics.dlq()).stream().flatMap(List::stream)
                .filter(r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .mapToInt(r -> r.value().length).max().orElse(0);
    }

    String storedAttr(String id, String key) {
        String attr = Dialect.forVersion(ch.version()) == Dialect.LEGACY
                ? "attrs.value[indexOf(attrs.key, " + Sql.literal(key) + ")]" : "attrs[" + Sql.literal(key) + "]";
        return raw("SELECT " + attr + " FROM " + p.db
                + ".logs WHERE id = " + Sql.literal(id) + " FORMAT TabSeparatedRaw");
    }

    String storedMessage(String id) {
        return raw("SELECT message FROM " + p.db + ".logs WHERE id = " + Sql.literal(id) + " FORMAT TabSeparatedRaw");
    }

    long storedMessageCount(String message) {
        return ch.queryLong("SELECT count() FROM " + p.db + ".logs WHERE message = " + Sql.literal(message));
    }

    long storedTsMs(String id) {
        return ch.queryLong("SELECT ts_ms FROM " + p.db + ".logs WHERE id = " + Sql.literal(id));
    }

    long storedForApp(String app) {
        return ch.queryLong("SELECT count() FROM " + p.db + ".logs WHERE app = " + Sql.literal(app));
    }

    long expectedForApp(String app) {
        return expectation.received().stream().filter(e -> e.app().equals(app) && expected.contains(e.id())).count();
    }

    long retiredBeforeTombstoneStored() {
        return ch.queryLong("SELECT count() FROM " + p.db + ".logs WHERE app = 'retired' AND retention_days = 90"
                + " AND id LIKE 'retired-before-%'") == RETIRED
                && ch.queryLong("SELECT count() FROM " + p.db + ".logs WHERE app = 'retired' AND retention_days = 14"
                + " AND id LIKE 'retired-after-%'") == RETIRED ? RETIRED : -1;
    }

    long storedForAppsStartingWith(String prefix) {
        return ch.queryLong("SELECT count() FROM " + p.db + ".logs WHERE startsWith(app, " + Sql.literal(prefix) + ")");
    }

    long statsForAppsStartingWith(String prefix) {
        return ch.queryLong("SELECT sum(count) FROM " + p.db + ".ingest_stats WHERE startsWith(app, " + Sql.literal(prefix) + ")");
    }

    long statsRowsForAppsStartingWith(String prefix) {
        return ch.queryLong("SELECT count() FROM " + p.db + ".ingest_stats WHERE startsWith(app, " + Sql.literal(prefix) + ")");
    }

    long partitions(String table) {
        return ch.queryLong("SELECT uniqExact(partition) FROM system.parts WHERE active AND database = "
                + Sql.literal(p.db) + " AND table = " + Sql.literal(table));
    }

    long retentionTiers() {
        return ch.queryLong("SELECT uniqExact(retention_days) FROM " + p.db + ".logs");
    }

    long tableCount() {
        return ch.queryLong("SELECT count() FROM system.tables WHERE database = " + Sql.literal(p.db));
    }

    private String raw(String sql) {
        String body = ch.query(sql);
        return body.endsWith("\n") ? body.substring(0, body.length() - 1) : body;
    }
}
