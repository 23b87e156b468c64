package io.tagpipe.processor;

import io.tagpipe.wire.Decoded;

/** A readable record with the policy that applies to it and, once decided, the decision. */
record Judged(Decoded record, Policy policy, Decision decision) {

    Judged withDecision(Decision d) {
        return new Judged(record, policy, d);
    }
}
