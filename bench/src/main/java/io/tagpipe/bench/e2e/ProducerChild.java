package io.tagpipe.bench.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

import io.tagpipe.collector.TagpipeSender;
import io.tagpipe.wire.Level;

/**
 * One producing app in its own JVM, alive for the whole end-to-end stage like a real app (so its JIT
 * warm-up is not paid again in every phase): a {@link TagpipeSender} logging at the rate it is told
 * on stdin, plus one marker record (logger {@value #MARKER_LOGGER}) every {@code markerMs}; the
 * sender stamps each record's {@code ts} at the call, which is the "produced" instant of the latency.
 * Args: bootstrap, topic, app. Commands on stdin, one per line:
 * <ul>
 *   <li>{@code RATE r markerMs}: from now on offer {@code r} records/s (0 = idle), a marker every
 *       {@code markerMs} (0 = none);</li>
 *   <li>{@code COUNT id}: wait until everything logged so far left the sender, then print
 *       {@code COUNT id SENT n DROPPED d} (totals since start);</li>
 *   <li>{@code EXIT} or end of input: flush and exit.</li>
 * </ul>
 */
public final class ProducerChild {
    static final String MARKER_LOGGER = "io.tagpipe.bench.Marker";

    private final TagpipeSender sender;
    private final String app;
    private final Map<String, String> mdc = Map.of("region", "eu-west-1", "user", "u-1");
    private long sent;

    private ProducerChild(TagpipeSender sender, String app) {
        this.sender = sender;
        this.app = app;
    }

    public static void main(String[] args) {
        BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> readCommands(commands), "commands");
        reader.setDaemon(true);
        reader.start();
        // fromEnv: TAGPIPE_KAFKA_CONFIG and the other settings an app would read; the args win
        try (TagpipeSender sender = TagpipeSender.builder().fromEnv().bootstrapServers(args[0]).topic(args[1]).app(args[2])
                .queueCapacity(65_536).shutdownHook(false).build()) {
            new ProducerChild(sender, args[2]).run(commands);
        }
    }

    private static void readCommands(BlockingQueue<String> commands) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                commands.add(line.trim());
            }
        } catch (IOException e) {
            System.out.println("stdin: " + e);
        }
        commands.add("EXIT");
    }

    private void run(BlockingQueue<String> commands) {
        double rate = 0;
        long markerNanos = 0;
        long start = System.nanoTime();
        long sentAtStart = 0;
        long nextMarker = start;
        while (true) {
            String command = commands.poll();
            if (command != null) {
                String[] f = command.split(" ");
                switch (f[0]) {
                    case "RATE" -> {
                        rate = Double.parseDouble(f[1]);
                        markerNanos = Long.parseLong(f[2]) * 1_000_000L;
                        start = System.nanoTime();
                        sentAtStart = sent;
                        nextMarker = start;
                    }
                    case "COUNT" -> report("COUNT " + f[1]);
                    case "EXIT" -> {
                        report("EXIT");
                        return;
                    }
                    default -> System.out.println("unknown command: " + command);
                }
            }
            long now = System.nanoTime();
            long due = sentAtStart + (long) ((now - start) / 1e9 * rate); // records that should have been sent by now
            while (sent < due) {
                sender.log(sent % 10 == 0 ? Level.WARN : Level.INFO, "com.acme.checkout.Handler",
                        "handled request " + sent + " in " + (sent % 250) + " ms for customer c-" + (sent % 9973), null, mdc);
                sent++;
            }
            if (markerNanos > 0 && now >= nextMarker) {
                sender.log(Level.INFO, MARKER_LOGGER, "marker " + app + " " + now, null, mdc);
                sent++; // counts toward the rate, as one of its records
                nextMarker += markerNanos;
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    private void report(String what) {
        sender.flush(Duration.ofSeconds(120));
        System.out.println(what + " SENT " + sent + " DROPPED " + sender.droppedCount());
        System.out.flush();
    }
}
