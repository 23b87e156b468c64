package io.tagpipe.cli;

import java.time.Clock;
import java.util.concurrent.Callable;

import io.tagpipe.sink.ClickHouseStore;
import io.tagpipe.sink.RetentionJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tagpipe retention run}: the sink's retention job, once. */
@Command(name = "retention", mixinStandardHelpOptions = true,
        description = "Per-app retention in ClickHouse.",
        subcommands = RetentionCommand.Run.class)
public final class RetentionCommand {

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Drop expired partitions and delete rows of apps whose retention was shortened, once.")
    static final class Run implements Callable<Integer> {
        @Mixin
        SinkOptions connection;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (ClickHouseStore store = ClickHouseStore.of(connection.config(System.getenv(), spec.commandLine()))) {
                RetentionJob.Result r = new RetentionJob(store, Clock.systemUTC()).runOnce();
                System.out.println("dropped partitions: " + (r.droppedPartitions().isEmpty() ? "none" : r.droppedPartitions()));
                System.out.println("deletions:          " + (r.deletions().isEmpty() ? "none" : r.deletions()));
                return 0;
            }
        }
    }
}
