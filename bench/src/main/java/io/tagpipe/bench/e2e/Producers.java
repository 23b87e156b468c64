package io.tagpipe.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code n} {@link ProducerChild} JVMs started once and steered together: {@link #rate} sets the
 * total rate they offer, {@link #counts()} sums what they shipped so far.
 */
final class Producers implements AutoCloseable {
    private static final long REPLY_TIMEOUT_MS = 180_000;
    private final List<ChildJvm> children = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private int nextCount;

    /** Records the apps logged and dropped (counted by their senders), totals since start. */
    record Sent(long sent, long dropped) {
        Sent minus(Sent earlier) {
            return new Sent(sent - earlier.sent, dropped - earlier.dropped);
        }

        long delivered() {
            return sent - dropped;
        }
    }

    static Producers start(int n, Path dir, String bootstrap, String topic) {
        Producers p = new Producers();
        for (int i = 0; i < n; i++) {
            String name = "producer-" + i;
            p.children.add(ChildJvm.start(name, dir, "256m", ProducerChild.class, List.of(bootstrap, topic, name), Map.of()));
            p.logs.add(dir.resolve(name + ".log"));
        }
        return p;
    }

    /** All producers together offer {@code totalRate} records/s from now on, a marker every {@code markerMs} each (0 = none). */
    void rate(double totalRate, long markerMs) {
        for (ChildJvm c : children) {
            c.send("RATE " + totalRate / children.size() + " " + markerMs);
        }
    }

    /** Waits until every producer shipped what it logged so far, then sums their totals. */
    Sent counts() throws InterruptedException, IOException {
        return countsByApp().values().stream().reduce(new Sent(0, 0), (a, b) -> new Sent(a.sent + b.sent, a.dropped + b.dropped));
    }

    /** Waits until every producer shipped what it logged so far: each one's totals, by its app label. */
    Map<String, Sent> countsByApp() throws InterruptedException, IOException {
        String id = String.valueOf(++nextCount);
        children.forEach(c -> c.send("COUNT " + id));
        Map<String, Sent> m = new LinkedHashMap<>();
        for (int i = 0; i < children.size(); i++) {
            String[] f = awaitReply(i, "COUNT " + id + " SENT ").split(" ");
            m.put(children.get(i).name(), new Sent(Long.parseLong(f[3]), Long.parseLong(f[5])));
        }
        return m;
    }

    List<Long> pids() {
        return children.stream().map(ChildJvm::pid).toList();
    }

    private String awaitReply(int i, String prefix) throws InterruptedException, IOException {
        long deadline = System.currentTimeMillis() + REPLY_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            Optional<String> line = Files.readAllLines(logs.get(i)).stream().filter(l -> l.startsWith(prefix)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (!children.get(i).alive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("producer " + children.get(i).name() + " did not answer '" + prefix.trim()
                + "'; see " + logs.get(i));
    }

    @Override
    public void close() throws InterruptedException {
        for (ChildJvm c : children) {
            c.close();
        }
    }
}
