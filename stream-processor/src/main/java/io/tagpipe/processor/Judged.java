package io.tagpipe.processor;

import io.tagpipe.wire.Envelope;

/** A readable record with the policy that applies to it and, once decided, the decision. */
record Judged(Envelope envelope, Policy policy, Decision decision) {

    Judged withDecision(Decision d) {
        return new Judged(envelope, policy, d);
    }
}
