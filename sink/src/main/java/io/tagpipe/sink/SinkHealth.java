package io.tagpipe.sink;

import io.tagpipe.admin.ops.Health;

/**
 * Health of a sink: alive while its consumer loop runs (a fatal error ends it); ready while it
 * also holds partitions and is not paused. A sink paused by a ClickHouse outage is alive (it
 * retries and resumes by itself; restarting it would not help) but not ready.
 */
final class SinkHealth {
    private SinkHealth() {
    }

    static Health of(boolean loopRunning, Throwable fatal, int assignedPartitions, boolean paused) {
        if (fatal != null) {
            return new Health(false, false, "stopped by a fatal error: " + fatal.getMessage());
        }
        if (!loopRunning) {
            return new Health(false, false, "consumer loop not running");
        }
        if (paused) {
            return new Health(true, false, "paused: ClickHouse or Kafka unavailable, retrying");
        }
        if (assignedPartitions == 0) {
            return new Health(true, false, "no partitions assigned");
        }
        return new Health(true, true, assignedPartitions + " partitions assigned, consuming");
    }
}
