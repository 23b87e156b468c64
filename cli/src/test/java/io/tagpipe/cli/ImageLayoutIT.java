package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The packaged program as deploy/Dockerfile lays it out (no Docker here): {@code cli/target/lib} is
 * the image's {@code lib/}, and deploy/bin/tagpipe, the image's entrypoint, runs the packaged jar.
 * Runs after {@code package}, so it sees the real files.
 */
class ImageLayoutIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Path LAUNCHER = DeployFilesTest.DEPLOY.resolve("bin/tagpipe");

    private static List<Path> libJars() throws IOException {
        try (Stream<Path> files = Files.list(TARGET.resolve("lib"))) {
            return files.sorted().toList();
        }
    }

    @Test
    void libHoldsExactlyTheRuntimeClasspathWithOneSlf4jProviderAndNoTestOrBenchJar() throws IOException {
        List<Path> jars = libJars();
        assertThat(jars).isNotEmpty().allSatisfy(j -> assertThat(j.getFileName().toString()).endsWith(".jar"));

        List<String> providers = new ArrayList<>();
        for (Path jar : jars) {
            if (ProductionClasspathTest.hasEntry(jar, ProductionClasspathTest.SLF4J_PROVIDER)) {
                providers.add(jar.getFileName().toString());
            }
        }
        assertThat(providers).singleElement().asString().startsWith("logback-classic-");

        List<String> names = jars.stream().map(ProductionClasspathTest::name).toList();
        assertThat(names).contains("wire", "admin", "stream-processor", "sink")
                .noneMatch(n -> ProductionClasspathTest.BANNED.matcher(n).matches());
        assertThat(new TreeSet<>(names)).isEqualTo(new TreeSet<>(
                ProductionClasspathTest.runtimeClasspath().stream().map(ProductionClasspathTest::name).toList()));
    }

    /** /opt/tagpipe/{bin/tagpipe, tagpipe-cli.jar, lib/} as the Dockerfile copies them; the launcher's path. */
    private static Path imageLayout(String name) throws IOException {
        Path image = TARGET.resolve(name);
        deleteTree(image);
        Path bin = Files.createDirectories(image.resolve("bin"));
        Path launcher = Files.copy(LAUNCHER, bin.resolve("tagpipe"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createSymbolicLink(image.resolve("tagpipe-cli.jar"), TARGET.resolve("tagpipe-cli.jar"));
        Files.createSymbolicLink(image.resolve("lib"), TARGET.resolve("lib"));
        return launcher;
    }

    @Test
    void theLauncherRunsThePackagedProgram() throws Exception {
        Path launcher = imageLayout("image-layout");

        Result version = run(launcher, Map.of(), "--version");
        assertThat(version.exit()).as(version.output()).isZero();
        assertThat(version.output().strip()).isEqualTo("tagpipe " + System.getProperty("tagpipe.build.version")
                + " (commit " + System.getProperty("tagpipe.build.commit") + ")");

        Result help = run(launcher, Map.of(), "policy", "--help");
        assertThat(help.exit()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: tagpipe policy");
    }

    @Test
    void thePackagedProgramRefusesAnUnknownLogFormatOrLevel() throws Exception {
        Path launcher = imageLayout("image-layout-logging");

        Result r = run(launcher, Map.of("TAGPIPE_LOG_FORMAT", "xml", "TAGPIPE_LOG_LEVEL", "loud"), "--version");

        assertThat(r.exit()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains("TAGPIPE_LOG_FORMAT: 'xml' is not a log format (text or json)",
                "TAGPIPE_LOG_LEVEL: 'loud' is not a level").doesNotContain("tagpipe " + System.getProperty("tagpipe.build.version"));
    }

    @Test
    void theImagesJvmOptionsGoOnTheCommandLineAndPrintNothing() throws Exception {
        Path launcher = imageLayout("image-layout-jvm");
        Matcher env = Pattern.compile("ENV TAGPIPE_JAVA_OPTS=\"([^\"]+)\"")
                .matcher(Files.readString(DeployFilesTest.DEPLOY.resolve("Dockerfile")));
        assertThat(env.find()).as("the Dockerfile sets TAGPIPE_JAVA_OPTS").isTrue();

        Result version = run(launcher, Map.of("TAGPIPE_JAVA_OPTS", env.group(1), "TAGPIPE_LOG_FORMAT", "json"), "--version");
        assertThat(version.exit()).as(version.output()).isZero();
        assertThat(version.output().strip()).as("no 'Picked up …' line from the JVM")
                .isEqualTo("tagpipe " + System.getProperty("tagpipe.build.version")
                        + " (commit " + System.getProperty("tagpipe.build.commit") + ")");

        Result refused = run(launcher, Map.of("TAGPIPE_JAVA_OPTS", "-XX:+NoSuchTagpipeOption"), "--version");
        assertThat(refused.exit()).as("the launcher passes the options to java").isNotZero();
        assertThat(refused.output()).contains("NoSuchTagpipeOption");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> files = Files.walk(dir)) { // walk does not follow the lib/ link
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private record Result(int exit, String output) {}

    private static Result run(Path launcher, Map<String, String> extraEnv, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.remove("JAVA_TOOL_OPTIONS");
        env.putAll(extraEnv);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("tagpipe " + String.join(" ", args) + " exited").isTrue();
        return new Result(p.exitValue(), out);
    }
}
