package io.tagpipe.admin.ops;

/**
 * What {@code /healthz} and {@code /readyz} answer: alive (the process does its job or can recover
 * by itself; a supervisor restarts it otherwise) and ready (it processes now), with a short reason.
 */
public record Health(boolean alive, boolean ready, String detail) {
    public Health {
        if (ready && !alive) {
            throw new IllegalArgumentException("ready implies alive");
        }
    }
}
