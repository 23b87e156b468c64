package io.tagpipe.cli.replay;

import java.util.Collection;
import java.util.Set;

/** What ClickHouse already holds: the dedup of a replay. */
public interface StoredIds {
    /** True if ClickHouse has counted any record of the app (an unknown app is an operator's typo). */
    boolean knowsApp(String app);

    /** Those of {@code ids} that are stored as rows of {@code app}. */
    Set<String> stored(String app, Collection<String> ids);
}
