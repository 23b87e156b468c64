package io.tagpipe.cli;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

import io.tagpipe.cli.report.AppReport;
import io.tagpipe.cli.report.ClickHouseReads;
import io.tagpipe.cli.report.ReportException;
import io.tagpipe.cli.report.ReportFormat;
import io.tagpipe.cli.report.ReportQuery;
import io.tagpipe.cli.report.ReportReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tagpipe report}: per-app volumes, drops, re-weighted counts, retention and disk use from ClickHouse. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Per app: label source, importance, records received / kept / shed / replayed / dropped by reason, "
                + "re-weighted estimate vs true count, retention, partitions, bytes on disk (from ClickHouse). "
                + "Shed (shed_net, and shed in dropped_by_reason) is net of what tagpipe replay delivered since: "
                + "kept + dropped + replayed = received.")
public final class ReportCommand implements Callable<Integer> {
    @Mixin
    ClickHouseOptions clickhouse;

    @Option(names = "--since", description = "only records of the last N s|m|h|d|w, e.g. 1h, 2d (default: all)")
    String since;

    @Option(names = "--app", description = "only this app label")
    String app;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default ${DEFAULT-VALUE})")
    ReportFormat format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            ReportQuery q = ReportQuery.of(clickhouse.database(), since, app, Clock.systemUTC().instant())
                    .onCluster(clickhouse.cluster);
            List<AppReport> reports;
            try (ClickHouseReads reads = clickhouse.reads(System.getenv())) {
                reports = new ReportReader(reads).read(q);
            }
            spec.commandLine().getOut().print(format.render(reports));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (ReportException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("tagpipe report: " + e.getMessage());
            return 1;
        }
    }
}
