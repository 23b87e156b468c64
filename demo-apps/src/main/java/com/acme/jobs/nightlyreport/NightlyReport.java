package com.acme.jobs.nightlyreport;

import java.time.Duration;
import java.util.Map;

import com.acme.libs.traffic.Traffic;
import io.tagpipe.collector.TagpipeSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sample app "nightly-report": a batch job, few logs, mostly metrics (through the direct API). */
public final class NightlyReport {
    private static final Logger LOG = LoggerFactory.getLogger("com.acme.jobs.NightlyReport");

    public static void main(String[] args) {
        Traffic t = Traffic.fromSystemProperties(10, 4);
        long rows = 0;
        TagpipeSender metrics = TagpipeSender.fromEnv().build();
        LOG.info("nightly report started");
        while (t.next()) {
            int batch = 100 + t.nextInt(900);
            rows += batch;
            LOG.debug("aggregated {} rows", batch);
            metrics.counter("report.rows", batch, Map.of("table", "orders"));
            metrics.gauge("report.lag.seconds", t.nextInt(120), Map.of());
            metrics.timer("report.batch", Duration.ofMillis(5 + t.nextInt(200)), Map.of("table", "orders"));
            if (t.chance(0.02)) {
                LOG.warn("late partition, {} rows re-read", batch);
            }
        }
        LOG.info("nightly report finished: {} rows", rows);
        metrics.close(Duration.ofSeconds(5));
    }
}
