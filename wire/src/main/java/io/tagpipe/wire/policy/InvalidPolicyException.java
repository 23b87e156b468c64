package io.tagpipe.wire.policy;

import java.util.List;

/** A policy that cannot be used; {@link #errors()} names every bad field, not just the first. */
public final class InvalidPolicyException extends Exception {
    private final List<String> errors;

    public InvalidPolicyException(List<String> errors) {
        super(String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
