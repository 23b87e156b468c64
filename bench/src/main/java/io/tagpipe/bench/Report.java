package io.tagpipe.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The figures of one bench run: printed as a table, written as JSON and Markdown. */
public final class Report {
    /** One figure: {@code value} in {@code unit}, the median of {@code runs}; {@code target} may be empty. */
    public record Row(String stage, String subject, String metric, double value, String unit, int runs,
                      String target, String note) {
        public String formatted() {
            return Double.isNaN(value) ? "n/a" : number(value, unit);
        }
    }

    /**
     * One line of the headline table: a stage's CPU per record and rate, what it is compared with in
     * the same run, and its target; {@code measured} is the figure the target is about (e.g. "1.2× the
     * passthrough"), {@code met} null when the line has no target.
     */
    public record Headline(String stage, double cpuMicrosPerRecord, double rate, String rateUnit, String peer,
                           String target, String measured, Boolean met) {
        String cells() {
            return "| " + stage + " | " + number(cpuMicrosPerRecord, "µs") + " | " + number(rate, rateUnit) + " | " + peer
                    + " | " + target + " | " + measured + " | " + (met == null ? "" : met ? "yes" : "**no**") + " |";
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<Headline> headline = new ArrayList<>();
    private final Map<String, String> machine = new LinkedHashMap<>();

    public Report() {
        machine.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("memory", Files.exists(Path.of("/proc/meminfo")) ? firstLine("/proc/meminfo") : "?");
        machine.put("cpu", cpuModel());
    }

    public synchronized void add(String stage, String subject, String metric, double value, String unit, int runs,
                                 String target, String note) {
        Row r = new Row(stage, subject, metric, value, unit, runs, target == null ? "" : target, note == null ? "" : note);
        rows.add(r);
        System.out.printf("  %-12s %-52s %-18s %16s%s%n", stage, subject, metric, r.formatted(),
                r.target().isEmpty() ? "" : "   (target " + r.target() + ")");
    }

    public synchronized void headline(Headline h) {
        headline.add(h);
        System.out.printf("  headline     %-52s %14s %16s   %s%s%n", h.stage(), number(h.cpuMicrosPerRecord(), "µs/rec"),
                number(h.rate(), h.rateUnit()), h.measured(), h.met() == null ? "" : h.met() ? " (target met)" : " (target NOT met)");
    }

    public synchronized List<Headline> headline() {
        return List.copyOf(headline);
    }

    public synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    public void machine(String key, String value) {
        machine.put(key, value);
    }

    public void print(PrintStream out) {
        if (!headline().isEmpty()) {
            out.println(headlineTable());
        }
        out.println(markdownTable());
    }

    public void write(Path dir, String command) {
        try {
            Files.createDirectories(dir);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("command", command);
            doc.put("machine", machine);
            doc.put("headline", headline());
            doc.put("rows", rows());
            json.writeValue(dir.resolve("bench.json").toFile(), doc);
            StringBuilder md = new StringBuilder("# tagpipe bench\n\nCommand: `").append(command).append("`\n\nMachine: ");
            machine.forEach((k, v) -> md.append(k).append(" ").append(v).append("; "));
            md.append("\n\n");
            if (!headline().isEmpty()) {
                md.append(headlineTable()).append("\n");
            }
            md.append(markdownTable());
            Files.writeString(dir.resolve("bench.md"), md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String markdownTable() {
        StringBuilder s = new StringBuilder("| stage | subject | metric | value (median) | runs | target | note |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Row r : rows()) {
            s.append("| ").append(r.stage()).append(" | ").append(r.subject()).append(" | ").append(r.metric())
                    .append(" | ").append(r.formatted()).append(" | ").append(r.runs()).append(" | ")
                    .append(r.target()).append(" | ").append(r.note()).append(" |\n");
        }
        return s.toString();
    }

    /** The headline: one line per stage, CPU per record first (steadier than wall time on a shared box). */
    public String headlineTable() {
        StringBuilder s = new StringBuilder("| stage | CPU µs/record | records/s | peer or ceiling (same run) | target | this run | met? |\n"
                + "|---|---:|---:|---|---|---|---|\n");
        headline().forEach(h -> s.append(h.cells()).append('\n'));
        return s.toString();
    }

    /** A figure with three significant digits and its unit, thousands grouped; an unknown figure is a dash. */
    public static String number(double v, String unit) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "—";
        }
        String n = v == 0 ? "0" : Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
        return (n + " " + unit).strip();
    }

    public static double median(List<Double> xs) {
        List<Double> s = xs.stream().filter(d -> !Double.isNaN(d)).sorted().toList();
        if (s.isEmpty()) {
            return Double.NaN;
        }
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String firstLine(String file) {
        try {
            return Files.readAllLines(Path.of(file)).get(0).replaceAll("\\s+", " ");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
