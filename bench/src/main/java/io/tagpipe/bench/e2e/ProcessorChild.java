package io.tagpipe.bench.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import io.tagpipe.admin.ClientConfig;
import io.tagpipe.processor.ProcessorApp;
import io.tagpipe.processor.ProcessorSettings;
import io.tagpipe.wire.ProcessorTopics;

/**
 * The processor as the bench runs it in a child JVM: {@code ProcessorApp} on topics with a prefix.
 * Args: bootstrap, topic prefix, application id; env {@code TAGPIPE_STREAMS_CONFIG} as for {@code tagpipe processor}. Prints {@code RUNNING} once it processes; SIGTERM closes it.
 */
public final class ProcessorChild {
    private ProcessorChild() {
    }

    public static void main(String[] args) throws Exception {
        // the same file `tagpipe processor` reads, so a setting can be tried end to end
        String file = System.getenv("TAGPIPE_STREAMS_CONFIG");
        ProcessorSettings settings = ProcessorSettings.of(new ClientConfig(args[0], new Properties()), args[2],
                file == null || file.isBlank() ? null : Path.of(file)).withTopics(ProcessorTopics.prefixed(args[1]));
        ProcessorApp app = new ProcessorApp(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> app.close(Duration.ofSeconds(30)), "processor-stop"));
        app.start();
        System.out.println(app.awaitRunning(Duration.ofMinutes(3)) ? "RUNNING" : "NOT RUNNING " + app.state());
        System.out.flush();
        System.exit(app.awaitStopped() ? 1 : 0);
    }
}
