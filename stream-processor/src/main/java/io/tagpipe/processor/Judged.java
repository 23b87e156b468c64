package io.tagpipe.processor;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;

/** A readable record with the policy that applies to it and, once decided, the decision. */
record Judged(EnvelopeCodec.Decoded record, Policy policy, Decision decision) {

    Envelope envelope() {
        return record.envelope();
    }

    Judged withDecision(Decision d) {
        return new Judged(record, policy, d);
    }
}
