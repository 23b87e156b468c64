package io.tagpipe.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing the directories the local brokers, ClickHouse servers and benches write (gigabytes per bench run). */
public final class TempDirs {
    private TempDirs() {
    }

    /** Deletes {@code root} and everything under it; true when nothing of it is left (or it never existed). */
    public static boolean deleteTree(Path root) {
        if (!Files.exists(root)) {
            return true;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // reported by the answer below
        }
        return !Files.exists(root);
    }
}
