package io.tagpipe.cli.report;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** How the report is printed: an aligned table for people, CSV and JSON for programs. */
public enum ReportFormat {
    TABLE, CSV, JSON;

    /** {@code shed_net} and the {@code shed} of {@code dropped_by_reason}: shed and not replayed since. */
    static final List<String> COLUMNS = List.of("app", "app_source", "importance", "received", "kept", "shed_net",
            "replayed", "dropped", "dropped_by_reason", "stored", "reweighted", "retention_days", "partitions", "bytes_on_disk");

    public String render(List<AppReport> reports) {
        return switch (this) {
            case TABLE -> table(reports);
            case CSV -> csv(reports);
            case JSON -> json(reports);
        };
    }

    private static List<String> cells(AppReport r) {
        return List.of(r.app(), r.appSource(), r.importance(), Long.toString(r.received()), Long.toString(r.kept()),
                Long.toString(r.shedNet()), Long.toString(r.replayed()), Long.toString(r.droppedTotal()), r.droppedByReason(), Long.toString(r.stored()),
                String.format(Locale.ROOT, "%.0f", r.reweighted()), Integer.toString(r.retentionDays()),
                Integer.toString(r.partitions()), Long.toString(r.bytesOnDisk()));
    }

    private static String table(List<AppReport> reports) {
        if (reports.isEmpty()) {
            return "no records in the selected range\n";
        }
        List<List<String>> rows = new java.util.ArrayList<>();
        rows.add(COLUMNS);
        reports.forEach(r -> rows.add(cells(r)));
        int[] width = new int[COLUMNS.size()];
        rows.forEach(row -> {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        });
        StringBuilder b = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                boolean number = i >= 3 && i != COLUMNS.indexOf("dropped_by_reason");
                String cell = row.get(i);
                String pad = " ".repeat(width[i] - cell.length());
                b.append(number ? pad + cell : cell + pad).append(i + 1 < row.size() ? "  " : "");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String csv(List<AppReport> reports) {
        StringBuilder b = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (AppReport r : reports) {
            b.append(String.join(",", cells(r).stream().map(ReportFormat::csvCell).toList())).append('\n');
        }
        return b.toString();
    }

    /** RFC 4180: quote cells holding a comma, quote or line break; double the quotes. */
    static String csvCell(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    private static String json(List<AppReport> reports) {
        ObjectMapper m = new ObjectMapper();
        ArrayNode arr = m.createArrayNode();
        for (AppReport r : reports) {
            ObjectNode o = arr.addObject();
            o.put("app", r.app()).put("app_source", r.appSource()).put("importance", r.importance())
                    .put("received", r.received()).put("kept", r.kept()).put("shed_net", r.shedNet())
                    .put("replayed", r.replayed()).put("dropped", r.droppedTotal());
            ObjectNode reasons = o.putObject("dropped_by_reason");
            r.dropped().forEach(reasons::put);
            o.put("stored", r.stored()).put("reweighted", r.reweighted()).put("retention_days", r.retentionDays())
                    .put("partitions", r.partitions()).put("bytes_on_disk", r.bytesOnDisk());
        }
        try {
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(arr) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
