package io.tagpipe.dev.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CountsTest {
    @Test
    void progressLineShowsRatesSinceTheLastMeasureAndTotals() {
        Counts before = new Counts(10_000, 1_000, 100, Map.of("sampled", 400L), 50);
        Counts now = new Counts(12_000, 3_000, 300, Map.of("sampled", 1_000L, "rate_limit", 200L), 250);

        String line = now.progressLine("running", 12, before);

        assertThat(line).contains("produced  1000/s", "kept   100/s", "dropped   400/s", "3000 produced", "1200 dropped", "250 in ClickHouse");
    }

    @Test
    void theEndCheckNamesEachBrokenEquality() {
        assertThat(new Counts(0, 10, 4, Map.of("sampled", 6L), 4).problems(4)).isEmpty();
        assertThat(new Counts(0, 10, 4, Map.of("sampled", 5L), 4).problems(4))
                .containsExactly("produced 10 but the processor counted 9 (4 kept + 5 dropped)");
        assertThat(new Counts(0, 10, 4, Map.of("sampled", 6L), 3).problems(3))
                .containsExactly("kept 4 but ClickHouse holds 3 rows");
        assertThat(new Counts(0, 10, 4, Map.of("sampled", 6L), 4).problems(3))
                .as("a duplicate hides a lost row in the row count").containsExactly("ClickHouse holds 4 rows but 3 distinct ids");
    }

    @Test
    void caughtUpOnlyWhenEveryProducedRecordIsCountedAndEveryKeptOneStored() {
        assertThat(Drain.caughtUp(new Counts(0, 10, 4, Map.of("sampled", 6L), 4))).isTrue();
        assertThat(Drain.caughtUp(new Counts(0, 10, 4, Map.of("sampled", 5L), 4))).isFalse();
        assertThat(Drain.caughtUp(new Counts(0, 10, 4, Map.of("sampled", 6L), 3))).isFalse();
        assertThat(Drain.caughtUp(new Counts(0, 0, 0, Map.of(), 0))).isFalse();
    }

    @Test
    void planRunsFourJavaAppsAsOwnProcessesAndThePythonOneWithItsCollectorOnThePath() {
        var apps = SampleApp.plan(Path.of("/repo"), "/jdk/bin/java", "k:9092", Duration.ofSeconds(30), "/usr/bin/python3");

        assertThat(apps).extracting(SampleApp::label)
                .containsExactly("billing-api", "billing-worker", "search-indexer", "nightly-report", "search-api");
        assertThat(apps.get(0).command()).startsWith("/jdk/bin/java").contains("-Ddemo.duration=30")
                .endsWith("com.acme.services.billing.api.Main");
        assertThat(apps).allSatisfy(a -> assertThat(a.env()).containsEntry("TAGPIPE_BOOTSTRAP_SERVERS", "k:9092"));
        assertThat(apps.get(4).env()).containsEntry("PYTHONPATH", "/repo/collector-lib/python");
        assertThat(apps.get(4).command()).containsSequence("/repo/" + SampleApp.PYTHON_SCRIPT, "--duration", "30");
        assertThat(SampleApp.plan(Path.of("/repo"), "java", "k", Duration.ofSeconds(30), null)).hasSize(4);
    }
}
