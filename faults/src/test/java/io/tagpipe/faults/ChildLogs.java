package io.tagpipe.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** On a failed wait: the last lines of every child log in a pipeline's dir, so a CI run that fails says why. */
final class ChildLogs {
    private ChildLogs() {
    }

    static void printTails(Path dir, int lines) {
        try (var logs = Files.list(dir)) {
            logs.filter(f -> f.toString().endsWith(".log")).sorted().forEach(f -> {
                try {
                    List<String> all = Files.readAllLines(f);
                    System.err.println("---- last " + lines + " lines of " + f.getFileName() + " (" + all.size() + " lines)");
                    all.subList(Math.max(0, all.size() - lines), all.size()).forEach(System.err::println);
                } catch (IOException e) {
                    System.err.println("---- " + f + ": " + e);
                }
            });
        } catch (IOException e) {
            System.err.println("no child logs in " + dir + ": " + e);
        }
    }
}
