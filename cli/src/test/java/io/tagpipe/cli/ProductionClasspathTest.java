package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/**
 * What the image's {@code lib/} holds, from the build's own resolution of the production program's
 * runtime classpath (the build writes it to {@code target/runtime-classpath.txt}; {@code lib/} is
 * copied from the same scope): one logging backend, no test, benchmark, demo or broker jar.
 */
class ProductionClasspathTest {
    static final String SLF4J_PROVIDER = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";
    /** Jars (by file name) and reactor modules (by directory) that must never ship. */
    static final Pattern BANNED = Pattern.compile("(tagpipe-)?(testkit|bench|dev|demo-apps|faults)(-\\d.*)?(\\.jar)?"
            + "|jmh-.*|junit-.*|opentest4j-.*|apiguardian-.*|kafka_2\\.13-.*|kafka-server-\\d.*|kafka-streams-test-utils-.*"
            + "|slf4j-simple-.*|log4j-core-.*|log4j-slf4j2?-impl-.*|logback-kafka-appender-.*|testcontainers-.*|awaitility-.*|assertj-.*");

    static List<Path> runtimeClasspath() throws IOException {
        String text = Files.readString(Path.of("target", "runtime-classpath.txt")).strip();
        return Arrays.stream(text.split(Pattern.quote(File.pathSeparator))).map(Path::of).toList();
    }

    private static final Pattern OUR_JAR = Pattern.compile("tagpipe-(.+)-\\d[^-]*(-SNAPSHOT)?\\.jar");

    /**
     * A reactor module by its name (from {@code target/classes} when the build ran {@code test}, from
     * {@code tagpipe-NAME-VERSION.jar} when it packaged), any other jar by its file name.
     */
    static String name(Path entry) {
        if (entry.endsWith(Path.of("target", "classes"))) {
            return entry.getParent().getParent().getFileName().toString();
        }
        var ours = OUR_JAR.matcher(entry.getFileName().toString());
        return ours.matches() ? ours.group(1) : entry.getFileName().toString();
    }

    @Test
    void namesAReactorModuleTheSameWhetherBuiltOrPackaged() {
        assertThat(name(Path.of("/r/sink/target/classes"))).isEqualTo("sink");
        assertThat(name(Path.of("/m2/tagpipe-stream-processor-0.1.0-SNAPSHOT.jar"))).isEqualTo("stream-processor");
        assertThat(name(Path.of("/m2/tagpipe-testkit-1.2.jar"))).isEqualTo("testkit");
        assertThat(name(Path.of("/lib/kafka-clients-4.4.0.jar"))).isEqualTo("kafka-clients-4.4.0.jar");
    }

    @Test
    void exactlyOneSlf4jProviderAndItIsLogback() throws IOException {
        List<String> providers = new ArrayList<>();
        for (Path entry : runtimeClasspath()) {
            if (Files.isDirectory(entry) ? Files.exists(entry.resolve(SLF4J_PROVIDER)) : hasEntry(entry, SLF4J_PROVIDER)) {
                providers.add(name(entry));
            }
        }
        assertThat(providers).singleElement().asString().startsWith("logback-classic-");
    }

    @Test
    void noTestBenchDemoOrBrokerCode() throws IOException {
        List<String> names = runtimeClasspath().stream().map(ProductionClasspathTest::name).toList();
        assertThat(names).as("the production runtime classpath").isNotEmpty()
                .contains("wire", "admin", "stream-processor", "sink")
                .noneMatch(n -> BANNED.matcher(n).matches());
    }

    static boolean hasEntry(Path jar, String entry) throws IOException {
        if (!Files.isRegularFile(jar)) {
            return false;
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry(entry) != null;
        }
    }
}
