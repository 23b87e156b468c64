package io.tagpipe.wire;

/**
 * A record that is not a readable envelope v1. {@link #reason()} is a short machine-friendly
 * code (for stats and DLQ headers); the message says what exactly was wrong.
 */
public final class UnreadableRecordException extends Exception {
    private final String reason;

    public UnreadableRecordException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public UnreadableRecordException(String reason, String message) {
        this(reason, message, null);
    }

    /** One of {@code malformed_json}, {@code missing_field}, {@code bad_field}, {@code too_large}, {@code bad_version}. */
    public String reason() {
        return reason;
    }
}
