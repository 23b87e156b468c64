package io.tagpipe.processor;

import io.tagpipe.wire.Decoded;

/**
 * A record of {@code tagpipe.records} after parsing: the decoded record, or (when {@code decoded}
 * is null) the original bytes with why they could not be read.
 *
 * @param app the envelope's app, or for unreadable records the normalised record key ({@code unknown} without one)
 */
record Parsed(Decoded decoded, byte[] raw, String app, String reason, String message, long timestamp) {

    static final String UNKNOWN_APP = "unknown";
    static final String UNKNOWN_KIND = "unknown";

    boolean readable() {
        return decoded != null;
    }
}
