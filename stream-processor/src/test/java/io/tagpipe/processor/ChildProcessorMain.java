package io.tagpipe.processor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A processor instance in its own JVM, so an IT can kill it with SIGKILL. Prints {@code RUNNING}
 * once processing and {@code POLICIES {…}} whenever its set of policies changes.
 * Args: bootstrap, application id, topic prefix, state dir.
 */
public final class ChildProcessorMain {
    public static void main(String[] args) throws Exception {
        ProcessorApp app = new ProcessorApp(ProcessorIT.settings(args[0], args[1], args[2], Path.of(args[3])));
        app.start();
        if (!app.awaitRunning(Duration.ofMinutes(2))) {
            System.out.println("FAILED " + app.state());
            System.exit(1);
        }
        System.out.println("RUNNING");
        Map<String, String> last = null;
        while (true) {
            Map<String, String> now = new java.util.TreeMap<>();
            app.policies().forEach((k, v) -> now.put(k, v.spec().toString()));
            if (!now.equals(last)) {
                System.out.println("POLICIES " + now);
                last = now;
            }
            Thread.sleep(100);
        }
    }

    private ChildProcessorMain() {
    }

}
