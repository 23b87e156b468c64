package io.tagpipe.cli;

import java.time.Duration;
import java.util.concurrent.Callable;

import io.tagpipe.processor.ProcessorTopics;
import io.tagpipe.processor.TopicAdmin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tagpipe topics create}: the five topics, idempotently. */
@Command(name = "topics", description = "Manage tagpipe's Kafka topics.",
        subcommands = TopicsCommand.Create.class, mixinStandardHelpOptions = true)
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
}
