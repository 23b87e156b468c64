package io.tagpipe.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The fault table, printed to stdout and written as Markdown (rewritten after every row). */
final class FaultTable {
    private final Path file;
    private final List<Verdict> rows = new ArrayList<>();

    FaultTable(Path file) {
        this.file = file;
    }

    static FaultTable fromSystemProperty() {
        return new FaultTable(Path.of(System.getProperty("tagpipe.faults.table", "target/fault-table.md")));
    }

    synchronized void add(Verdict v) {
        rows.add(v);
        System.out.println(String.format("FAULT %-44s sent=%d expected=%d stored=%d lost=%d duplicated=%d unexpected=%d shed=%d recovery=%.1fs %s",
                v.fault(), v.sent(), v.expected(), v.stored(), v.lost(), v.duplicated(), v.unexpected(),
                v.shed(), v.recoverySeconds(), v.note()));
        write();
    }

    synchronized String markdown() {
        StringBuilder b = new StringBuilder("| fault | sent | expected | stored | lost | duplicated | outside expected set | shed (counted) | recovery s | notes |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Verdict v : rows) {
            b.append(String.format("| %s | %d | %d | %d | %d | %d | %d | %d | %.1f | %s |%n", v.fault(), v.sent(), v.expected(),
                    v.stored(), v.lost(), v.duplicated(), v.unexpected(), v.shed(), v.recoverySeconds(), v.note()));
        }
        return b.toString();
    }

    void print() {
        System.out.println(markdown());
    }

    private void write() {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, "# tagpipe fault table\n\nrecovery s = from the end of the fault until ClickHouse "
                    + "held exactly the expected set, stats matched and the processor had committed all input (for 3 s).\n\n" + markdown());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
