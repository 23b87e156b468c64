package io.tagpipe.cli.status;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tagpipe.admin.status.PipelineStatus;
import io.tagpipe.admin.status.PipelineStatus.GroupLag;
import io.tagpipe.admin.status.PipelineStatus.SinkLevel;
import io.tagpipe.admin.status.PipelineStatus.TopicLag;
import io.tagpipe.admin.status.PipelineStatus.TopicSize;
import io.tagpipe.wire.Pressure;

/**
 * How {@code tagpipe status} prints a {@link PipelineStatus}: a table for people, JSON (stable field
 * names) for programs. A sink's pressure record older than {@code staleAfter} is stale: the sink
 * stopped publishing, so it is probably down, and processors ignore its level (the same bound).
 */
public final class StatusFormat {
    private final Duration staleAfter;

    public StatusFormat(Duration staleAfter) {
        this.staleAfter = staleAfter;
    }

    long ageMs(PipelineStatus s, Pressure p) {
        return Math.max(0, s.checkedAtMs() - p.updatedMs());
    }

    boolean stale(PipelineStatus s, Pressure p) {
        return ageMs(s, p) > staleAfter.toMillis();
    }

    /** The level processors shed by now: the highest level among sinks whose record is not stale. */
    int effectiveLevel(PipelineStatus s) {
        return s.sinks().stream().map(SinkLevel::pressure).filter(p -> p != null && !stale(s, p))
                .mapToInt(Pressure::level).max().orElse(0);
    }

    public String table(PipelineStatus s) {
        StringBuilder b = new StringBuilder();
        b.append("pressure level now: ").append(effectiveLevel(s)).append(" (highest level of the sinks that published within ")
                .append(human(staleAfter.toMillis())).append("; checked ").append(time(s.checkedAtMs())).append(")\n");
        if (!s.pressureTopicExists()) {
            b.append("  pressure topic ").append(s.pressureTopic()).append(" is missing (`tagpipe topics create` makes it)\n");
        } else if (s.sinks().isEmpty()) {
            b.append("  no sink has published a level on ").append(s.pressureTopic()).append(" (is a sink running?)\n");
        } else {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("sink", "level", "paused", "since", "updated", "why"));
            s.sinks().forEach(l -> rows.add(sinkRow(s, l)));
            b.append(Columns.render(rows, "  ", Columns.rightAligned(1)));
        }
        group(b, "sink group", s.sinkGroup());
        group(b, "processor", s.processor());
        size(b, "dlq", s.dlq());
        size(b, "shed", s.shed());
        return b.toString();
    }

    private List<String> sinkRow(PipelineStatus s, SinkLevel l) {
        Pressure p = l.pressure();
        if (p == null) {
            return List.of(l.key(), "?", "?", "-", "-", "unreadable record: " + l.unreadable());
        }
        String why = p.reasons().isEmpty() ? "-" : String.join("; ", p.reasons());
        if (stale(s, p)) {
            why = "STALE: no update for " + human(ageMs(s, p)) + ", sink probably down (processors ignore this level); was: " + why;
        }
        return List.of(l.key(), Integer.toString(p.level()), p.paused() ? "yes" : "no", time(p.sinceMs()),
                human(ageMs(s, p)) + " ago", why);
    }

    private static void group(StringBuilder b, String what, GroupLag g) {
        b.append(what).append(' ').append(g.group()).append(": ").append(g.state()).append(", ").append(g.members())
                .append(g.members() == 1 ? " member" : " members").append(", lag ").append(g.total()).append('\n');
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("topic", "lag"));
        for (TopicLag t : g.topics()) {
            rows.add(List.of(t.topic(), t.exists() ? Long.toString(t.lag()) : "topic missing"));
        }
        b.append(Columns.render(rows, "  ", Columns.rightAligned(1)));
    }

    private static void size(StringBuilder b, String what, TopicSize t) {
        b.append(what).append(' ').append(t.topic()).append(": ")
                .append(t.exists() ? t.records() + " records" : "topic missing").append('\n');
    }

    public String json(PipelineStatus s) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        o.put("checked_at", Instant.ofEpochMilli(s.checkedAtMs()).toString());
        o.put("level", effectiveLevel(s));
        o.put("stale_after_ms", staleAfter.toMillis());
        o.put("pressure_topic", s.pressureTopic()).put("pressure_topic_exists", s.pressureTopicExists());
        var sinks = o.putArray("sinks");
        for (SinkLevel l : s.sinks()) {
            ObjectNode n = sinks.addObject().put("sink", l.key());
            Pressure p = l.pressure();
            if (p == null) {
                n.put("unreadable", l.unreadable());
                continue;
            }
            n.put("level", p.level()).put("paused", p.paused()).put("stale", stale(s, p));
            p.reasons().forEach(n.putArray("reasons")::add);
            n.put("since", Instant.ofEpochMilli(p.sinceMs()).toString()).put("since_ms", p.sinceMs())
                    .put("updated", Instant.ofEpochMilli(p.updatedMs()).toString()).put("updated_ms", p.updatedMs())
                    .put("age_ms", ageMs(s, p))
                    .put("source", p.source());
        }
        groupJson(o.putObject("sink_group"), s.sinkGroup());
        groupJson(o.putObject("processor"), s.processor());
        sizeJson(o.putObject("dlq"), s.dlq());
        sizeJson(o.putObject("shed"), s.shed());
        try {
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void groupJson(ObjectNode n, GroupLag g) {
        n.put("group", g.group()).put("state", g.state()).put("members", g.members()).put("lag", g.total());
        var topics = n.putArray("topics");
        for (TopicLag t : g.topics()) {
            ObjectNode tn = topics.addObject().put("topic", t.topic()).put("exists", t.exists());
            if (t.exists()) {
                tn.put("lag", t.lag());
            } else {
                tn.putNull("lag");
            }
        }
    }

    private static void sizeJson(ObjectNode n, TopicSize t) {
        n.put("topic", t.topic()).put("exists", t.exists());
        if (t.exists()) {
            n.put("records", t.records());
        } else {
            n.putNull("records");
        }
    }

    /** To the second, for people. */
    private static String time(long epochMs) {
        return Instant.ofEpochMilli(epochMs).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** {@code 850 ms}, {@code 42 s}, {@code 5 min}, {@code 3 h}, {@code 2 d}: whole units, rounded down. */
    static String human(long ms) {
        if (ms < 1_000) {
            return ms + " ms";
        }
        long s = ms / 1_000;
        if (s < 120) {
            return s + " s";
        }
        if (s < 7_200) {
            return s / 60 + " min";
        }
        if (s < 172_800) {
            return s / 3_600 + " h";
        }
        return s / 86_400 + " d";
    }
}
