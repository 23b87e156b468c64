package io.tagpipe.dev.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds Debian's python3 with confluent_kafka, which the Python collector needs. */
final class PythonCheck {
    static final String PYTHON = "/usr/bin/python3";
    static final String HINT = PYTHON + " with confluent_kafka not found (Debian: apt-get install -y python3-confluent-kafka)";

    private PythonCheck() {
    }

    static Optional<String> find() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import confluent_kafka").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return Optional.of(PYTHON);
            }
            p.destroyForcibly();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }
}
