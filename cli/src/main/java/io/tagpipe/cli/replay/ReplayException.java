package io.tagpipe.cli.replay;

/** A replay could not be planned or written; the message says why in the operator's terms. */
public final class ReplayException extends RuntimeException {
    public ReplayException(String message) {
        super(message);
    }

    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
