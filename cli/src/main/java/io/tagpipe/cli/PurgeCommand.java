package io.tagpipe.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.tagpipe.sink.ClickHouseStore;
import io.tagpipe.sink.RetentionJob;
import io.tagpipe.sink.SinkConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tagpipe purge APP [--yes]}: deletes all of one app's data, after confirmation. */
@Command(name = "purge", mixinStandardHelpOptions = true,
        description = "Delete ALL logs, metrics and stats of one app from ClickHouse.")
public final class PurgeCommand implements Callable<Integer> {
    @Mixin
    SinkOptions connection;

    @Parameters(index = "0", paramLabel = "APP", description = "the app label, exactly as stored")
    String app;

    @Spec
    CommandSpec spec;

    @Option(names = "--yes", description = "do not ask for confirmation")
    boolean yes;

    /** Where the confirmation is read from; tests replace it. */
    java.io.InputStream in = System.in;

    @Override
    public Integer call() throws Exception {
        SinkConfig config = connection.config(System.getenv(), spec.commandLine());
        if (!yes && !confirmed(config.database())) {
            System.err.println("purge cancelled; nothing deleted");
            return 1;
        }
        try (ClickHouseStore store = ClickHouseStore.of(config)) {
            long rows = new RetentionJob(store, Clock.systemUTC()).purge(app, Duration.ofMinutes(5));
            System.out.println("purged " + rows + " rows of app '" + app + "' from database " + store.database());
            return 0;
        }
    }

    private boolean confirmed(String database) throws java.io.IOException {
        System.out.print("Delete ALL data of app '" + app + "' in database " + database
                + "? Type the app name to confirm: ");
        System.out.flush();
        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        return app.equals(line == null ? null : line.strip());
    }
}
