package io.tagpipe.sink;

/** A batch could not be delivered; {@link #kind()} says whether to back off and retry or to stop. */
final class DeliveryException extends Exception {
    private final ErrorClass kind;

    DeliveryException(ErrorClass kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    ErrorClass kind() {
        return kind;
    }
}
