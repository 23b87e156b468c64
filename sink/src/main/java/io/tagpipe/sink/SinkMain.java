package io.tagpipe.sink;

import java.time.Clock;

/**
 * Runs the sink from the {@code TAGPIPE_*} environment (used by tests as a real child JVM; the
 * {@code tagpipe sink} command is the user-facing way). SIGTERM flushes, commits and exits 0.
 */
public final class SinkMain {
    private SinkMain() {
    }

    public static void main(String[] args) throws Exception {
        SinkConfig config = SinkConfig.fromEnv(System.getenv()).build();
        System.exit(run(config));
    }

    /** Starts, prints the summary, blocks until SIGTERM or a fatal error; returns the exit code. */
    public static int run(SinkConfig config) throws Exception {
        Sink sink = Sink.start(config, Clock.systemUTC());
        sink.startupSummary().forEach(System.out::println);
        System.out.flush();
        Thread hook = new Thread(() -> {
            try {
                sink.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tagpipe-sink-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Throwable failure = sink.await();
        if (failure != null) {
            System.err.println("tagpipe sink: " + failure.getMessage());
            return 1;
        }
        return 0;
    }
}
