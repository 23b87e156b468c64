package io.tagpipe.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import io.tagpipe.cli.replay.ClickHouseStoredIds;
import io.tagpipe.cli.replay.KafkaReplayWriter;
import io.tagpipe.cli.replay.KafkaShedLog;
import io.tagpipe.cli.replay.KafkaSourceRecords;
import io.tagpipe.cli.replay.ReplayException;
import io.tagpipe.cli.replay.ReplayPlan;
import io.tagpipe.cli.replay.ReplayWindow;
import io.tagpipe.cli.replay.Replayer;
import io.tagpipe.cli.replay.SinkCatchUp;
import io.tagpipe.cli.report.ClickHouseReads;
import io.tagpipe.cli.report.ReportException;
import io.tagpipe.cli.report.ReportQuery;
import io.tagpipe.wire.ProcessorTopics;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tagpipe replay}: delivers one app's shed records of a time window that are not in ClickHouse yet. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {
            "Re-deliver the records of one app that the processor shed under database pressure.",
            "",
            "Window: the records whose own timestamp lies in [--since, --until); each is an age (90s, 15m, 2h, 1d, 1w "
                    + "before now) or an ISO-8601 instant (2026-12-07T01:00:00Z); --until defaults to now.",
            "Dedup: a shed record whose id ClickHouse already stores (e.g. replayed before) is not written again, so "
                    + "nothing is stored twice; run again after the sink stored a replay (--wait) and it replays 0.",
            "Records Kafka no longer holds (deleted by the records topic's retention) cannot come back: they are "
                    + "counted and reported.",
            "The rest goes to the topic the processor would have kept it in, enriched as it would have been, with "
                    + "stats lines of reason 'replayed' in the same Kafka transaction (transactional.id "
                    + "tagpipe-replay-APP): tagpipe report then shows them as replayed instead of shed.",
            ""})
public final class ReplayCommand implements Callable<Integer> {
    /** Records per transaction: bounds what a failure leaves to redo. */
    static final int CHUNK = 10_000;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    ClickHouseOptions clickhouse;

    @Option(names = "--app", required = true, description = "the app label, as tagpipe report lists it")
    String app;

    @Option(names = "--since", required = true, description = "start of the window (inclusive): age or ISO-8601 instant")
    String since;

    @Option(names = "--until", description = "end of the window (exclusive): age or ISO-8601 instant (default: now)")
    String until;

    @Option(names = "--dry-run", description = "only say how many would come back and how many Kafka no longer holds; "
            + "write nothing")
    boolean dryRun;

    @Option(names = "--sink-group", defaultValue = "${env:TAGPIPE_SINK_GROUP_ID:-tagpipe-sink}",
            description = "the sink's consumer group, for --wait (env TAGPIPE_SINK_GROUP_ID, default ${DEFAULT-VALUE})")
    String sinkGroup;

    @Option(names = "--wait", description = "after writing, wait until the sink group has consumed past the replayed "
            + "records (then they are in ClickHouse)")
    boolean await;

    @Option(names = "--timeout", defaultValue = "2m",
            description = "how long Kafka reads and --wait may take, e.g. 90s, 5m (default ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--topic-prefix", defaultValue = "",
            description = "prefix of every tagpipe topic name, for side-by-side setups (default: none)")
    String topicPrefix;

    @Spec
    CommandSpec spec;

    private Duration timeout() {
        try {
            return ReportQuery.parseSince(timeout);
        } catch (ReportException e) {
            throw new ReplayException("--timeout must be a number and a unit (s, m, h), e.g. 90s or 5m; got '" + timeout + "'");
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Consumer<String> progress = line -> {
            out.println(line);
            out.flush();
        };
        try {
            ReplayWindow window = ReplayWindow.parse(since, until, Clock.systemUTC().instant());
            Duration limit = timeout();
            ProcessorTopics topics = ProcessorTopics.prefixed(topicPrefix);
            var client = kafka.client();
            ReplayPlan plan;
            Replayer replayer;
            try (ClickHouseReads reads = clickhouse.reads(System.getenv())) {
                replayer = new Replayer(new KafkaShedLog(client, topics.shed(), limit, progress),
                        new ClickHouseStoredIds(reads, clickhouse.database()), new KafkaSourceRecords(client, limit), progress);
                plan = replayer.plan(app, window);
            }
            progress.accept(plan.summary());
            if (dryRun) {
                progress.accept("dry run: " + plan.toReplay().size() + " would come back, " + plan.noLongerHeld()
                        + " are no longer held by Kafka; nothing written");
                return 0;
            }
            Map<TopicPartition, Long> written;
            try (KafkaReplayWriter writer = new KafkaReplayWriter(client, app, topics.stats())) {
                written = replayer.run(plan, writer, CHUNK);
            }
            progress.accept("replayed " + plan.toReplay().size() + " records of '" + app + "' (counted as replayed, "
                    + "no longer as shed)" + (plan.noLongerHeld() > 0 ? "; " + plan.noLongerHeld()
                    + " could not come back: Kafka no longer holds them" : ""));
            if (await && !written.isEmpty()) {
                new SinkCatchUp(client, progress).await(sinkGroup, written, limit);
                progress.accept("sink group " + sinkGroup + " has stored the replayed records");
            }
            return 0;
        } catch (ReplayException | ReportException | KafkaException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("tagpipe replay: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
    }
}
