package io.tagpipe.faults;

import java.util.List;

import io.tagpipe.testkit.ChildJvm;

/**
 * What the sink child logged from a mark on: how it met a ClickHouse outage. The sink logs
 * {@value #PAUSING} when a call to ClickHouse fails or times out, then {@value #RETRYING} for
 * every retry that fails again (SinkRunner).
 */
final class SinkLog {
    static final String PAUSING = "ClickHouse unavailable, pausing";
    static final String RETRYING = "ClickHouse still unavailable";

    private final ChildJvm sink;
    private final int from;

    private SinkLog(ChildJvm sink, int from) {
        this.sink = sink;
        this.from = from;
    }

    /** Marks the end of what the sink logged so far. */
    static SinkLog mark(ChildJvm sink) {
        return new SinkLog(sink, sink.output().length());
    }

    /** The lines logged since the mark. */
    List<String> lines() {
        return sink.output().substring(from).lines().toList();
    }

    /** The first "pausing" line since the mark, or null. */
    String firstPause() {
        return lines().stream().filter(l -> l.contains(PAUSING)).findFirst().orElse(null);
    }

    long failedRetries() {
        return lines().stream().filter(l -> l.contains(RETRYING)).count();
    }

    /** "…pausing (retry in 500 ms): insert of 9 rows into logs failed: Insert request failed (attempt: 1, duration: 5004ms, queryId: q)" → "insert of 9 rows into logs failed: Insert request failed after 5004 ms". */
    static String reason(String pauseLine) {
        String why = pauseLine.substring(pauseLine.indexOf("): ") + 3);
        return why.replaceAll("\\s*\\(attempt: \\d+, duration: (\\d+)ms, queryId: [^)]*\\)", " after $1 ms");
    }
}
