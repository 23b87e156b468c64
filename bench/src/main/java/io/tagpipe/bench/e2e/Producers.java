package io.tagpipe.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code n} {@link ProducerChild} JVMs started together; {@link #awaitSent()} sums what they shipped. */
final class Producers {
    private final List<ChildJvm> children = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();

    /** Records each app sent and dropped (counted by its sender) once all exited. */
    record Sent(long sent, long dropped) {
    }

    static Producers start(String phase, int n, Path dir, String bootstrap, String topic, double totalRate,
                           long seconds, long markerMs) {
        Producers p = new Producers();
        for (int i = 0; i < n; i++) {
            String name = phase + "-" + i;
            p.children.add(ChildJvm.start(name, dir, "256m", ProducerChild.class, List.of(bootstrap, topic, name,
                    String.valueOf(totalRate / n), String.valueOf(seconds), String.valueOf(markerMs)), Map.of()));
            p.logs.add(dir.resolve(name + ".log"));
        }
        return p;
    }

    boolean running() {
        return children.stream().anyMatch(ChildJvm::alive);
    }

    Sent awaitSent() throws InterruptedException, IOException {
        long sent = 0;
        long dropped = 0;
        for (int i = 0; i < children.size(); i++) {
            if (!children.get(i).awaitExit(600)) {
                throw new IllegalStateException("producer " + children.get(i).name() + " failed; see " + logs.get(i));
            }
            Path log = logs.get(i);
            String line = Files.readAllLines(log).stream().filter(l -> l.startsWith("SENT ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no SENT line in " + log));
            String[] f = line.split(" ");
            sent += Long.parseLong(f[1]);
            dropped += Long.parseLong(f[3]);
        }
        return new Sent(sent, dropped);
    }
}
