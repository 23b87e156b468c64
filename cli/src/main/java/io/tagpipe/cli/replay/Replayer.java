package io.tagpipe.cli.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.tagpipe.wire.Decoded;
import io.tagpipe.wire.EnvelopeCodec;
import io.tagpipe.wire.ShedEntry;
import io.tagpipe.wire.UnreadableRecordException;
import org.apache.kafka.common.TopicPartition;

/**
 * The way back for shed records: find an app's shed entries in a window, drop those ClickHouse
 * already stores (by id), fetch the rest from the records topic by position, and write them to the
 * topic the processor would have kept them in, with their {@code replayed} counts, in transactions
 * of at most {@code chunk} records. Every shed record is thus stored at most once: the sink stores
 * what arrives on the kept topics exactly once, and a record already stored is never written again
 * (once the sink has stored a replay, which {@code --wait} waits for).
 */
public final class Replayer {
    private final ShedLog shedLog;
    private final StoredIds storedIds;
    private final SourceRecords sources;
    private final EnvelopeCodec codec = new EnvelopeCodec(Integer.MAX_VALUE);
    private final Consumer<String> progress;

    public Replayer(ShedLog shedLog, StoredIds storedIds, SourceRecords sources, Consumer<String> progress) {
        this.shedLog = shedLog;
        this.storedIds = storedIds;
        this.sources = sources;
        this.progress = progress;
    }

    public ReplayPlan plan(String app, ReplayWindow window) {
        if (!storedIds.knowsApp(app)) {
            throw new ReplayException("unknown app '" + app + "': ClickHouse has no counts for it (app labels are "
                    + "lower case, as tagpipe report lists them)");
        }
        Map<String, ShedEntry> byId = new LinkedHashMap<>();
        for (ShedEntry e : shedLog.read(app, window)) {
            byId.putIfAbsent(e.id(), e);
        }
        progress.accept("found " + byId.size() + " shed entries of '" + app + "' in " + window);
        Set<String> stored = byId.isEmpty() ? Set.of() : storedIds.stored(app, byId.keySet());
        List<ShedEntry> pending = byId.values().stream().filter(e -> !stored.contains(e.id())).toList();
        Map<ShedEntry, SourceRecords.Source> held = pending.isEmpty() ? Map.of() : sources.fetch(pending);
        List<ReplayPlan.Replayable> out = new ArrayList<>(held.size());
        int unreadable = 0;
        for (ShedEntry e : pending) {
            SourceRecords.Source s = held.get(e);
            if (s == null) {
                continue;
            }
            ReplayPlan.Replayable r = enrich(e, s);
            if (r == null) {
                unreadable++;
            } else {
                out.add(r);
            }
        }
        return new ReplayPlan(app, window, byId.size(), stored.size(), pending.size() - held.size(), unreadable, out);
    }

    /** Writes the plan; returns the last offset written per partition (what a sink must consume past). */
    public Map<TopicPartition, Long> run(ReplayPlan plan, ReplayWriter writer, int chunk) {
        Map<TopicPartition, Long> last = new HashMap<>();
        List<ReplayPlan.Replayable> all = plan.toReplay();
        for (int from = 0; from < all.size(); from += chunk) {
            List<ReplayPlan.Replayable> part = all.subList(from, Math.min(all.size(), from + chunk));
            writer.write(part, ReplayPlan.stats(part)).forEach((tp, o) -> last.merge(tp, o, Math::max));
            progress.accept("replayed " + (from + part.size()) + "/" + all.size());
        }
        return last;
    }

    /** The record as the processor would have kept it, or null if the bytes at that position are not it. */
    private ReplayPlan.Replayable enrich(ShedEntry e, SourceRecords.Source s) {
        try {
            Decoded d = codec.read(s.value());
            if (!d.id().equals(e.id())) {
                return null;
            }
            return new ReplayPlan.Replayable(e, s.key(), codec.encodeWithPolicy(d, e.sampleRate(), e.retentionDays(),
                    e.importance()));
        } catch (UnreadableRecordException ex) {
            return null;
        }
    }
}
