package io.tagpipe.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs, labelled only by how they were launched. */
@ExtendWith(RealServices.class)
class ChildJvmIdentityIT {
    @TempDir
    Path dir;

    @Test
    void labelsComeFromTheMainClassOrTheJarThatLaunchedTheJvm(KafkaBroker kafka) throws Exception {
        String topic = RealServices.unique("identity");
        kafka.createTopic(topic, 2);
        String cp = System.getProperty("java.class.path");
        Path jar = jar("nightly-batch-2.3.1.jar", "com.acme.jobs.NightlyReport", cp);

        run(kafka, dir.resolve("billing.log"), "-cp", cp, "com.acme.billing.api.Main", topic);
        run(kafka, dir.resolve("indexer.log"), "-cp", cp, "com.acme.search.indexer.Main", topic);
        run(kafka, dir.resolve("jar.log"), "-jar", jar.toString(), topic);

        try (TopicRecords records = new TopicRecords(kafka, topic)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> records.poll(Envelope::isLog).size() >= 3);
            Map<String, String> sourceByLabel = records.poll(Envelope::isLog).stream()
                    .collect(Collectors.toMap(Envelope::app, Envelope::appSource));
            assertThat(sourceByLabel).isEqualTo(Map.of(
                    "billing-api", "main-class",
                    "search-indexer", "main-class",
                    "nightly-report", "jar"));
        }
    }

    private void run(KafkaBroker kafka, Path log, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TAGPIPE_") || k.startsWith("OTEL_"));
        pb.environment().put("TAGPIPE_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        Process p = pb.start();
        try {
            boolean exited = p.waitFor(120, TimeUnit.SECONDS);
            assertThat(exited).as("child exited, output: %s", Files.readString(log)).isTrue();
            assertThat(p.exitValue()).as("child exit code, output: %s", Files.readString(log)).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    /** A thin application jar: Main-Class plus a Class-Path onto the test classpath. */
    private Path jar(String name, String mainClass, String classPath) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, List.of(classPath.split(File.pathSeparator)).stream()
                .map(e -> Path.of(e).toAbsolutePath().toUri().toString()).collect(Collectors.joining(" ")));
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return jar;
    }
}
