package io.tagpipe.cli.replay;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.tagpipe.cli.report.ReportException;
import io.tagpipe.cli.report.ReportQuery;

/**
 * The records a replay selects: those whose own timestamp ({@code ts}) lies in [since, until).
 * Each bound is an ISO-8601 instant ({@code 2026-12-07T01:00:00Z}) or an age like {@code report
 * --since} takes ({@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}, {@code 1w}: that long before now).
 */
public record ReplayWindow(Instant since, Instant until) {

    public ReplayWindow {
        if (!since.isBefore(until)) {
            throw new ReplayException("the window is empty: --since " + since + " is not before --until " + until);
        }
    }

    /** @param until null or blank = now */
    public static ReplayWindow parse(String since, String until, Instant now) {
        if (since == null || since.isBlank()) {
            throw new ReplayException("--since is required: an age like 2h or an instant like 2026-12-07T01:00:00Z");
        }
        Instant from = instant("--since", since, now);
        Instant to = until == null || until.isBlank() ? now : instant("--until", until, now);
        return new ReplayWindow(from, to);
    }

    public boolean contains(long epochMillis) {
        return epochMillis >= since.toEpochMilli() && epochMillis < until.toEpochMilli();
    }

    private static Instant instant(String flag, String text, Instant now) {
        String t = text.strip();
        if (!t.isEmpty() && Character.isDigit(t.charAt(0)) && t.contains("T")) {
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException e) {
                throw new ReplayException(flag + " '" + text + "' is not an ISO-8601 instant like 2026-12-07T01:00:00Z");
            }
        }
        try {
            return now.minus(ReportQuery.parseSince(t));
        } catch (ReportException e) {
            throw new ReplayException(flag + " must be an age (a number and s, m, h, d or w, e.g. 2h) or an ISO-8601 "
                    + "instant like 2026-12-07T01:00:00Z; got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return "[" + since + ", " + until + ")";
    }
}
