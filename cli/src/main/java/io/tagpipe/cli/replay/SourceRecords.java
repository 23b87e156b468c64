package io.tagpipe.cli.replay;

import java.util.Collection;
import java.util.Map;

import io.tagpipe.wire.ShedEntry;

/** The records topic, read by position. */
public interface SourceRecords {
    /** The original bytes of each entry's record that Kafka still holds; an entry missing from the answer is gone. */
    Map<ShedEntry, Source> fetch(Collection<ShedEntry> entries);

    /** A record as the application wrote it. */
    record Source(byte[] key, byte[] value) { }
}
