package io.tagpipe.dev.demo;

import java.nio.file.Path;
import java.util.List;

import io.tagpipe.cli.report.AppReport;

/** What a demo run produced, for the command's closing lines and for tests; {@code clickhouseCluster} null on one server. */
public record DemoResult(List<AppReport> report, Path html, Counts end, String bootstrapServers, String clickhouseUrl,
                         int clickhouseTcpPort, String clickhouseCluster, double policyChangeAtSeconds) {
    public long produced() {
        return end.produced();
    }

    public long processed() {
        return end.processed();
    }

    public long stored() {
        return end.stored();
    }
}
