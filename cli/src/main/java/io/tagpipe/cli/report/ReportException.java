package io.tagpipe.cli.report;

/** A report could not be produced; the message says why in the operator's terms. */
public final class ReportException extends RuntimeException {
    public ReportException(String message) {
        super(message);
    }
}
