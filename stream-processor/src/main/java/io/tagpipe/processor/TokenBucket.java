package io.tagpipe.processor;

/**
 * Per-app rate cap, as a pure function of the bucket's state and the time. Time is the records'
 * own timestamps and never goes backwards within a bucket, so a replay (after a crash, under
 * exactly-once) admits exactly the same records. The bucket holds at most one second of tokens
 * (at least 1) and starts full.
 */
public record TokenBucket(double tokens, long lastMillis) {

    /** The outcome of asking for one token. */
    public record Admission(boolean admitted, TokenBucket next) { }

    public static Admission take(TokenBucket bucket, long nowMillis, double ratePerSec) {
        double capacity = Math.max(1.0, ratePerSec);
        TokenBucket b = bucket == null ? new TokenBucket(capacity, nowMillis) : bucket;
        long now = Math.max(b.lastMillis, nowMillis);
        double tokens = Math.min(capacity, b.tokens + (now - b.lastMillis) * ratePerSec / 1000.0);
        if (ratePerSec > 0 && tokens >= 1.0) {
            return new Admission(true, new TokenBucket(tokens - 1.0, now));
        }
        return new Admission(false, new TokenBucket(tokens, now));
    }
}
