package io.tagpipe.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import io.tagpipe.admin.topics.TopicAdmin;
import io.tagpipe.admin.topics.TopicTail;
import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.Topics;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagpipe topics create}: the five topics, idempotently; {@code tagpipe topics tail}: their newest records. */
@Command(name = "topics", description = "Manage and inspect tagpipe's Kafka topics.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.Tail.class}, mixinStandardHelpOptions = true)
public final class TopicsCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create records, kept, policies (compacted), stats and dlq topics; existing ones are left unchanged.")
    static final class Create implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--partitions", defaultValue = "4", description = "partitions of records/kept/stats/dlq (default ${DEFAULT-VALUE}); policies has 1")
        int partitions;

        @Option(names = "--replication-factor", defaultValue = "1", description = "replication factor (default ${DEFAULT-VALUE})")
        short replicationFactor;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (partitions < 1 || replicationFactor < 1) {
                spec.commandLine().getErr().println("--partitions and --replication-factor must be at least 1");
                return 2;
            }
            var admin = new TopicAdmin(kafka.client(), Duration.ofSeconds(60));
            for (var r : admin.createAll(ProcessorTopics.defaults(), partitions, replicationFactor)) {
                spec.commandLine().getOut().printf("%-20s %s%n", r.topic(), r.detail());
            }
            return 0;
        }
    }

    @Command(name = "tail", mixinStandardHelpOptions = true,
            description = {"Print the newest records of a topic (default: the DLQ, to see why records were dead-lettered).",
                "Reads without a consumer group: commits nothing, disturbs no running consumer. One record per line:",
                "time, partition/offset, key, headers (the DLQ's reason and source), value (cut at --max-chars)."})
    static final class Tail implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Parameters(index = "0", arity = "0..1", defaultValue = Topics.DLQ,
                description = "topic to read (default ${DEFAULT-VALUE})")
        String topic;

        @Option(names = {"-n", "--records"}, defaultValue = "20", description = "how many of the newest records (default ${DEFAULT-VALUE})")
        int records;

        @Option(names = "--max-chars", defaultValue = "300", description = "cut each value after this many characters (default ${DEFAULT-VALUE})")
        int maxChars;

        @Option(names = {"-f", "--follow"}, description = "then keep printing records as they arrive, until Ctrl-C")
        boolean follow;

        @Option(names = "--timeout", defaultValue = "30", description = "seconds to wait for the broker (default ${DEFAULT-VALUE})")
        int timeoutSeconds;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (records < 1 || maxChars < 1 || timeoutSeconds < 1) {
                err.println("--records, --max-chars and --timeout must be at least 1");
                return 2;
            }
            try {
                var tail = new TopicTail(kafka.client(), Duration.ofSeconds(timeoutSeconds));
                var lines = tail.newest(topic, records);
                PrintWriter out = spec.commandLine().getOut();
                if (lines.isEmpty()) {
                    out.println(topic + ": no records");
                }
                lines.forEach(l -> out.println(format(l, maxChars)));
                if (follow) {
                    out.flush();
                    // runs until Ctrl-C ends the JVM: no group, nothing to commit
                    tail.follow(topic, l -> {
                        out.println(format(l, maxChars));
                        out.flush();
                    }, () -> false);
                }
                return 0;
            } catch (IllegalArgumentException e) {
                err.println("tagpipe topics tail: " + e.getMessage() + " (list them with kafka-topics.sh, create ours with `tagpipe topics create`)");
                return 1;
            } catch (KafkaException e) {
                err.println("tagpipe topics tail: no answer from Kafka at " + kafka.client().bootstrapServers() + " within "
                        + timeoutSeconds + " s: " + e.getMessage());
                return 1;
            }
        }

        static String format(TopicTail.Line l, int maxChars) {
            String value = l.value() == null ? "(null)" : l.value().length() <= maxChars ? l.value()
                    : l.value().substring(0, maxChars) + "… (" + l.valueBytes() + " bytes)";
            StringBuilder b = new StringBuilder().append(Instant.ofEpochMilli(l.timestamp())).append("  p")
                    .append(l.partition()).append('/').append(l.offset()).append("  key=").append(l.key());
            l.headers().forEach((k, v) -> b.append("  ").append(k).append('=').append(v));
            return b.append("  ").append(value.replace('\n', ' ')).toString();
        }
    }
}
