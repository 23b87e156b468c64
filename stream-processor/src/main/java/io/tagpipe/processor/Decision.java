package io.tagpipe.processor;

import io.tagpipe.wire.StatsRecord;

/**
 * What happens to one record: kept (reason {@code kept}) or dropped with a {@link StatsRecord}
 * reason, and the sample rate it was judged under (kept records carry it for re-weighting).
 *
 * @param needsToken the record passed sampling and is subject to the app's rate cap; the caller
 *                   asks the {@link TokenBucket} and applies {@link #afterRateLimit(boolean)}
 */
public record Decision(boolean keep, String reason, double sampleRate, boolean needsToken) {

    static Decision kept(double rate, boolean needsToken) {
        return new Decision(true, StatsRecord.KEPT, rate, needsToken);
    }

    static Decision dropped(String reason, double rate) {
        return new Decision(false, reason, rate, false);
    }

    /** The final decision once the token bucket answered. */
    public Decision afterRateLimit(boolean admitted) {
        if (!needsToken) {
            return this;
        }
        return admitted ? new Decision(true, StatsRecord.KEPT, sampleRate, false)
                : dropped(StatsRecord.RATE_LIMIT, sampleRate);
    }
}
