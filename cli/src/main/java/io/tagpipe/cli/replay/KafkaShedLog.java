package io.tagpipe.cli.replay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.admin.topics.TopicReader;
import io.tagpipe.wire.ShedEntry;
import io.tagpipe.wire.UnreadableRecordException;

/**
 * Reads the shed topic from its start to its end as of now (committed records only: an aborted
 * processor transaction shed nothing), keeping the app's entries in the window. No consumer group:
 * a replay commits nothing and can run any number of times.
 */
public final class KafkaShedLog implements ShedLog {
    private final ClientConfig client;
    private final String topic;
    private final Duration timeout;
    private final Consumer<String> warnings;

    public KafkaShedLog(ClientConfig client, String topic, Duration timeout, Consumer<String> warnings) {
        this.client = client;
        this.topic = topic;
        this.timeout = timeout;
        this.warnings = warnings;
    }

    @Override
    public List<ShedEntry> read(String app, ReplayWindow window) {
        byte[] key = app.getBytes(StandardCharsets.UTF_8);
        List<ShedEntry> out = new ArrayList<>();
        AtomicInteger unreadable = new AtomicInteger();
        int partitions;
        try {
            partitions = TopicReader.readToEnd(client, topic, timeout, r -> {
                if (r.value() == null || !Arrays.equals(r.key(), key)) {
                    return;
                }
                try {
                    ShedEntry e = ShedEntry.decode(r.value());
                    if (window.contains(e.ts())) {
                        out.add(e);
                    }
                } catch (UnreadableRecordException e) {
                    unreadable.incrementAndGet();
                }
            });
        } catch (IllegalStateException e) {
            throw new ReplayException(e.getMessage(), e);
        }
        if (partitions == 0) {
            throw new ReplayException("topic " + topic + " does not exist: run tagpipe topics create (and a processor "
                    + "that writes shed entries) first");
        }
        if (unreadable.get() > 0) {
            warnings.accept("skipped " + unreadable + " unreadable entries of '" + app + "' on " + topic);
        }
        return out;
    }
}
