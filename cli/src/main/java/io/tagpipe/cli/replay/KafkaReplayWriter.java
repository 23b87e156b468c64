package io.tagpipe.cli.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.wire.StatsRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A transactional producer ({@code transactional.id = tagpipe-replay-APP}): each {@link #write} is one
 * transaction holding the records and their {@code replayed} stats lines, so the sink (reading
 * committed records only) stores both or neither. One id per app fences a second replay of the
 * same app running at the same time.
 */
public final class KafkaReplayWriter implements ReplayWriter {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String statsTopic;

    public KafkaReplayWriter(ClientConfig client, String app, String statsTopic) {
        Properties p = client.properties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(app));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.statsTopic = statsTopic;
        producer.initTransactions();
    }

    public static String transactionalId(String app) {
        return "tagpipe-replay-" + app;
    }

    @Override
    public Map<TopicPartition, Long> write(List<ReplayPlan.Replayable> records, List<StatsRecord> stats) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size() + stats.size());
        try {
            producer.beginTransaction();
            for (ReplayPlan.Replayable r : records) {
                sent.add(producer.send(new ProducerRecord<>(r.entry().destination(), r.key(), r.value())));
            }
            for (StatsRecord s : stats) {
                sent.add(producer.send(new ProducerRecord<>(statsTopic, s.app().getBytes(StandardCharsets.UTF_8), s.encode())));
            }
            producer.commitTransaction();
        } catch (KafkaException e) {
            abort();
            throw new ReplayException("writing the replay failed, nothing of this batch was committed: " + e.getMessage(), e);
        }
        Map<TopicPartition, Long> last = new HashMap<>();
        for (Future<RecordMetadata> f : sent) {
            RecordMetadata m = done(f);
            last.merge(new TopicPartition(m.topic(), m.partition()), m.offset(), Math::max);
        }
        return last;
    }

    private void abort() {
        try {
            producer.abortTransaction();
        } catch (KafkaException ignored) {
            // fenced or broken: the transaction times out on the broker and is aborted there
        }
    }

    /** Completed by the commit: does not block. */
    private static RecordMetadata done(Future<RecordMetadata> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException("interrupted", e);
        } catch (ExecutionException e) {
            throw new ReplayException("a replayed record was not written: " + e.getCause().getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
