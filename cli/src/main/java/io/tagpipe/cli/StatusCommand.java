package io.tagpipe.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.tagpipe.admin.status.PipelineStatus;
import io.tagpipe.admin.status.StatusReader;
import io.tagpipe.cli.report.ReportException;
import io.tagpipe.cli.report.ReportQuery;
import io.tagpipe.cli.status.StatusFormat;
import io.tagpipe.processor.TagpipeTopology;
import io.tagpipe.wire.ProcessorTopics;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tagpipe status}: what the pipeline is doing now, from Kafka alone. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"What the pipeline is doing now, from Kafka alone: each sink's pressure level, why and since when,",
            "whether it is paused and how old its record is (stale = the sink is probably down); the sink group's lag",
            "per kept lane and its members; the processor's lag on the records topic; DLQ and shed topic sizes.",
            "Reads only: joins no group, commits nothing."})
public final class StatusCommand implements Callable<Integer> {
    /** Kafka did not answer within {@code --timeout}. */
    static final int UNREACHABLE = 1;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    GroupOptions.Sink sink;

    @Mixin
    GroupOptions.Processor processor;

    @Option(names = "--json", description = "print JSON (stable field names) instead of the table")
    boolean json;

    @Option(names = "--timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "how long to wait for Kafka, e.g. 10s, 1m (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--stale-after", converter = DurationConverter.class,
            description = "a sink's pressure record older than this is stale (default: the processors' bound, 60s)")
    Duration staleAfter;

    @Option(names = "--topic-prefix", defaultValue = "",
            description = "prefix in front of every topic name (setups that run tagpipe side by side; default none)")
    String topicPrefix;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProcessorTopics topics = topicPrefix.isEmpty() ? ProcessorTopics.defaults() : ProcessorTopics.prefixed(topicPrefix);
        StatusFormat format = new StatusFormat(staleAfter == null ? TagpipeTopology.DEFAULT_PRESSURE_STALE_AFTER : staleAfter);
        try {
            PipelineStatus status = new StatusReader(kafka.client(), timeout, Clock.systemUTC())
                    .read(new StatusReader.Target(topics, sink.groupId, processor.applicationId));
            out.print(json ? format.json(status) : format.table(status));
            out.flush();
            return 0;
        } catch (KafkaException e) {
            err.println("tagpipe status: Kafka at " + kafka.bootstrapServers + " did not answer within "
                    + timeout.toSeconds() + " s (" + e.getMessage() + ")");
            return UNREACHABLE;
        }
    }

    /** {@code 90s}, {@code 15m}, {@code 1h} … (the units of {@code report --since}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                Duration d = ReportQuery.parseSince(value);
                if (d.isZero()) {
                    throw new CommandLine.TypeConversionException("must be more than zero, got '" + value + "'");
                }
                return d;
            } catch (ReportException e) {
                throw new CommandLine.TypeConversionException("must be a number and a unit (s, m, h, d, w), e.g. 10s; got '"
                        + value + "'");
            }
        }
    }
}
