package io.tagpipe.cli.status;

import java.util.List;
import java.util.function.IntPredicate;

/** Aligned text columns: each as wide as its widest cell, two spaces apart, the last one not padded. */
final class Columns {
    private Columns() {
    }

    /** Columns at these indexes are right-aligned (numbers). */
    static IntPredicate rightAligned(int... indexes) {
        return i -> java.util.Arrays.stream(indexes).anyMatch(x -> x == i);
    }

    static String render(List<List<String>> rows, String indent, IntPredicate right) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] width = new int[columns];
        rows.forEach(row -> {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        });
        StringBuilder b = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                String pad = " ".repeat(width[i] - cell.length());
                boolean last = i + 1 == row.size();
                line.append(right.test(i) ? pad + cell : last ? cell : cell + pad).append(last ? "" : "  ");
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }
}
