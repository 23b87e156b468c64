package io.tagpipe.faults;

import java.time.Duration;

import io.tagpipe.sink.SinkConfig;
import io.tagpipe.sink.SinkMain;

/**
 * The sink ({@link SinkMain}) in its own JVM, configured from the {@code TAGPIPE_*} environment,
 * plus the one setting the environment does not offer: {@code args[0]}, if given, is the insert
 * (and query) timeout in milliseconds. A fault that freezes ClickHouse needs one well below the
 * freeze, or the sink just waits it out and the fault proves nothing about pausing.
 */
public final class SinkChild {
    private SinkChild() {
    }

    public static void main(String[] args) throws Exception {
        SinkConfig.Builder config = SinkConfig.fromEnv(System.getenv());
        if (args.length > 0) {
            config.insertTimeout(Duration.ofMillis(Long.parseLong(args[0])));
        }
        System.exit(SinkMain.run(config.build()));
    }
}
