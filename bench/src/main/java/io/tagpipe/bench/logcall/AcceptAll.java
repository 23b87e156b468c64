package io.tagpipe.bench.logcall;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

import io.tagpipe.collector.RecordSink;
import io.tagpipe.wire.Envelope;

/** A sink that takes every record and keeps none: the log call's full build cost, no queue limit. */
final class AcceptAll implements RecordSink {
    private final LongAdder accepted = new LongAdder();

    @Override
    public boolean offer(Envelope record) {
        accepted.increment();
        return record != null;
    }

    @Override
    public boolean flush(Duration timeout) {
        return true;
    }

    @Override
    public void close(Duration timeout) {
    }

    @Override
    public void countDrop(String reason) {
    }

    @Override
    public long droppedCount() {
        return 0;
    }
}
