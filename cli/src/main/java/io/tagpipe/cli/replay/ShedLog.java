package io.tagpipe.cli.replay;

import java.util.List;

import io.tagpipe.wire.ShedEntry;

/** Where the processor recorded what it shed ({@code tagpipe.shed}). */
public interface ShedLog {
    /** The app's entries whose record timestamp lies in the window, in the order they were written. */
    List<ShedEntry> read(String app, ReplayWindow window);
}
