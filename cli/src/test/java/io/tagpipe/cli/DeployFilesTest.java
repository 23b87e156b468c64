package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * deploy/ cannot run here (no Docker, no cluster), so what can be checked offline is checked: every
 * YAML parses, every image is pinned to a full version, every {@code TAGPIPE_*} setting is one the
 * code reads, every tagpipe command line in them parses with the real CLI, the image's layout fits
 * its launcher, and the build context leaves out local data and secrets. Kubernetes specifics:
 * {@link K8sManifestsTest}.
 */
class DeployFilesTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path DEPLOY = REPO.resolve("deploy");
    private static final Pattern ENV_NAME = Pattern.compile("TAGPIPE_[A-Z0-9_]+");
    private static final Pattern CODE_ENV = Pattern.compile("\"(TAGPIPE_[A-Z0-9_]+)\"|\\$\\{env:(TAGPIPE_[A-Z0-9_]+)");
    private static final Pattern SHELL_ENV = Pattern.compile("\\$\\{(TAGPIPE_[A-Z0-9_]+)");

    @Test
    void everyYamlFileParses() throws IOException {
        List<Path> files = yamlFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(7);
        for (Path f : files) {
            assertThat(documents(f)).as(f.toString()).isNotEmpty();
        }
    }

    @Test
    void strimziTopicsAreEveryTopicTheProcessorNeeds_policiesAndPressureCompacted() throws IOException {
        Set<String> declared = new TreeSet<>();
        for (JsonNode doc : documents(DEPLOY.resolve("k8s/02-topics-strimzi.yaml"))) {
            String name = doc.path("metadata").path("name").asText();
            declared.add(name);
            boolean compacted = "compact".equals(doc.path("spec").path("config").path("cleanup.policy").asText());
            assertThat(compacted).as(name + " compacted")
                    .isEqualTo(name.equals(io.tagpipe.wire.Topics.POLICIES) || name.equals(io.tagpipe.wire.Topics.PRESSURE));
        }
        assertThat(declared).containsExactlyInAnyOrderElementsOf(io.tagpipe.wire.ProcessorTopics.defaults().all());
    }

    @Test
    void everyImageIsPinnedToAFullVersion_deployFilesAndTestcontainersAlike() throws IOException {
        List<String> images = new ArrayList<>();
        for (Path f : yamlFiles()) {
            for (JsonNode doc : documents(f)) {
                doc.findValues("image").forEach(v -> images.add(v.asText()));
            }
        }
        for (String line : Files.readAllLines(DEPLOY.resolve("Dockerfile"))) {
            if (line.startsWith("FROM ")) {
                images.add(line.split("\\s+")[1]);
            }
        }
        List<String> inCode = imagesNamedInJavaSources();
        assertThat(inCode).as("Testcontainers images in the sources").isNotEmpty();
        images.addAll(inCode);
        assertThat(images).hasSizeGreaterThanOrEqualTo(8);
        assertThat(images).allSatisfy(image -> {
            String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
            // 24.8 floats to every 24.8.x release; 24.8.14.39 (or 17.0.13_11-jre, Prometheus' v3.5.0) names one build
            assertThat(tag).as(image + " must carry a full version tag (major.minor.patch)").matches("v?\\d+\\.\\d+\\.\\d+.*");
        });
    }

    private static List<String> imagesNamedInJavaSources() throws IOException {
        Pattern image = Pattern.compile("\"([a-z0-9.-]+/[a-z0-9._-]+:[A-Za-z0-9._-]+)\"");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(REPO)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/")
                    && !p.toString().contains("/target/")).toList()) {
                Matcher m = image.matcher(Files.readString(f));
                while (m.find()) {
                    found.add(m.group(1));
                }
            }
        }
        return found;
    }

    @Test
    void theImageHoldsTheProductionProgramAloneBuiltFromSources() throws IOException {
        List<String> dockerfile = Files.readAllLines(DEPLOY.resolve("Dockerfile"));
        assertThat(dockerfile).anySatisfy(l -> assertThat(l).startsWith("RUN mvn ").contains(" package -pl cli "));
        Map<String, String> copied = copiedFromTheBuildStage(dockerfile);
        assertThat(copied.keySet()).containsExactlyInAnyOrder(
                "/src/cli/target/tagpipe-cli.jar", "/src/cli/target/lib/", "/src/deploy/bin/tagpipe");
    }

    /** Source to destination of each {@code COPY --from=build}. */
    private static Map<String, String> copiedFromTheBuildStage(List<String> dockerfile) {
        Map<String, String> copied = new LinkedHashMap<>();
        dockerfile.stream().filter(l -> l.startsWith("COPY --from=build ")).map(l -> l.split("\\s+"))
                .forEach(w -> copied.put(w[2], w[3]));
        return copied;
    }

    /** deploy/bin/tagpipe runs ../tagpipe-cli.jar with ../lib/*: the image must lay the program out that way. */
    @Test
    void theImageRunsTagpipeThroughTheLauncherLaidOutAsItExpects() throws IOException {
        List<String> dockerfile = Files.readAllLines(DEPLOY.resolve("Dockerfile"));
        Map<String, String> copied = copiedFromTheBuildStage(dockerfile);
        String launcher = copied.get("/src/deploy/bin/tagpipe");
        assertThat(launcher).as("the Dockerfile copies the launcher deploy/bin/tagpipe into the image").isNotNull();
        Path home = Path.of(launcher).getParent().getParent();
        assertThat(Path.of(copied.get("/src/cli/target/tagpipe-cli.jar"))).isEqualTo(home.resolve("tagpipe-cli.jar"));
        assertThat(Path.of(copied.get("/src/cli/target/lib/"))).isEqualTo(home.resolve("lib"));

        String entrypoint = dockerfile.stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
        JsonNode exec = new ObjectMapper().readTree(entrypoint.substring("ENTRYPOINT ".length()));
        assertThat(exec.isArray()).as("exec form, so arguments reach tagpipe unchanged").isTrue();
        assertThat(exec.get(0).asText()).isEqualTo(launcher);
        // kubectl exec POD -- tagpipe …: the launcher's directory is on PATH
        assertThat(dockerfile).anySatisfy(l -> assertThat(l).contains("PATH=\"" + Path.of(launcher).getParent() + ":$PATH\""));

        String script = Files.readString(DEPLOY.resolve("bin/tagpipe"));
        assertThat(script).contains("\"$here/tagpipe-cli.jar:$here/lib/*\" " + Tagpipe.class.getName() + " \"$@\"");
        assertThat(Files.isExecutable(DEPLOY.resolve("bin/tagpipe"))).isTrue();
    }

    @Test
    void theImageBuildPassesTheCommitThatVersionPrints() throws IOException {
        List<String> dockerfile = Files.readAllLines(DEPLOY.resolve("Dockerfile"));
        assertThat(dockerfile).contains("ARG GIT_COMMIT=unknown");
        assertThat(dockerfile).anySatisfy(l -> assertThat(l).startsWith("RUN mvn ").contains("-Dtagpipe.commit=\"$GIT_COMMIT\""));
        JsonNode build = documents(DEPLOY.resolve("compose/docker-compose.yml")).get(0).path("services").path("topics").path("build");
        assertThat(build.path("args").path("GIT_COMMIT").asText()).startsWith("${GIT_COMMIT");
    }

    /** Docker sends the whole context to the builder: the demo's broker and ClickHouse data, build output, secrets stay out. */
    @Test
    void theBuildContextLeavesOutEverythingGitIgnoresTheDemoDataAndTheComposeSecret() throws IOException {
        DockerIgnore context = DockerIgnore.read(REPO.resolve(".dockerignore"));
        List<String> samples = new ArrayList<>(List.of(".git/HEAD", "cli/target/lib/kafka-clients-4.4.0.jar",
                ".tagpipe/kafka/meta.properties", ".tagpipe/clickhouse/data/tagpipe/logs/x.bin",
                "deploy/compose/clickhouse_password.txt"));
        for (String line : Files.readAllLines(REPO.resolve(".gitignore"))) {
            String p = line.strip();
            if (p.isEmpty() || p.startsWith("#") || p.startsWith("!")) {
                continue;
            }
            String name = p.replaceAll("/+$", "").replace("*", "x");
            String below = p.endsWith("/") ? "/x" : "";
            if (name.contains("/")) {
                samples.add(name.replaceAll("^/", "") + below);
            } else {
                samples.add(name + below);
                samples.add("collector-lib/python/" + name + below);
            }
        }
        assertThat(samples).allSatisfy(path -> assertThat(context.excludes(path)).as(path + " kept out of the build context").isTrue());

        // … and nothing the build needs is left out
        try (Stream<Path> files = Files.walk(REPO)) {
            List<String> needed = files.filter(Files::isRegularFile).map(f -> REPO.relativize(f).toString())
                    .filter(r -> !r.startsWith(".git/") && !r.contains("target/") && !r.startsWith(".tagpipe/"))
                    .filter(r -> r.endsWith("pom.xml") || r.contains("/src/main/") || r.equals("deploy/bin/tagpipe")).toList();
            assertThat(needed).contains("pom.xml", "cli/pom.xml", "deploy/bin/tagpipe", "cli/src/main/resources/io/tagpipe/cli/version.properties");
            assertThat(needed).noneMatch(context::excludes);
        }
    }

    @Test
    void composeSecretFilesAreIgnoredByGitAndDockerAndShippedAsAnExample() throws IOException {
        JsonNode secrets = documents(DEPLOY.resolve("compose/docker-compose.yml")).get(0).path("secrets");
        assertThat(secrets.size()).isPositive();
        DockerIgnore git = gitIgnoreAsDockerIgnore();
        DockerIgnore context = DockerIgnore.read(REPO.resolve(".dockerignore"));
        for (JsonNode secret : secrets) {
            Path file = DEPLOY.resolve("compose").resolve(secret.path("file").asText()).normalize();
            String rel = REPO.relativize(file).toString();
            assertThat(git.excludes(rel)).as(rel + " git-ignored").isTrue();
            assertThat(context.excludes(rel)).as(rel + " docker-ignored").isTrue();
            Path example = file.resolveSibling(file.getFileName() + ".example");
            assertThat(example).as("an example of " + rel).isRegularFile();
            assertThat(git.excludes(REPO.relativize(example).toString())).as("the example is committed").isFalse();
        }
    }

    /** .gitignore in Docker's terms: a pattern without an inner slash matches at any depth. */
    private static DockerIgnore gitIgnoreAsDockerIgnore() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(REPO.resolve(".gitignore"))) {
            String p = line.strip();
            boolean anchored = p.replaceAll("/+$", "").contains("/");
            lines.add(p.isEmpty() || p.startsWith("#") || p.startsWith("!") || anchored ? p : "**/" + p);
        }
        return DockerIgnore.of(lines);
    }

    @Test
    void everyTagpipeSettingInDeployIsOneTheCodeReads() throws IOException {
        Set<String> read = namesReadByCode();
        assertThat(read).contains("TAGPIPE_BOOTSTRAP_SERVERS", "TAGPIPE_KAFKA_CONFIG", "TAGPIPE_CLICKHOUSE_URL");

        Set<String> used = new TreeSet<>();
        for (Path f : yamlFiles()) {
            for (JsonNode doc : documents(f)) {
                collectSettingNames(doc, used);
            }
        }
        try (Stream<Path> scripts = Files.walk(DEPLOY)) {
            for (Path f : scripts.filter(p -> p.toString().endsWith(".sh") || p.endsWith("Dockerfile")).toList()) {
                Matcher m = ENV_NAME.matcher(Files.readString(f));
                while (m.find()) {
                    used.add(m.group());
                }
            }
        }
        assertThat(used).contains("TAGPIPE_BOOTSTRAP_SERVERS", "TAGPIPE_CLICKHOUSE_PASSWORD_FILE");
        assertThat(read).containsAll(used);
    }

    @Test
    void everyTagpipeCommandLineInDeployParsesWithTheRealCli() throws IOException {
        List<List<String>> commands = new ArrayList<>();
        for (Path f : yamlFiles()) {
            for (JsonNode doc : documents(f)) {
                collectCommands(doc, f.startsWith(DEPLOY.resolve("k8s")), commands);
            }
        }
        assertThat(commands).extracting(c -> c.get(0)).contains("topics", "processor", "sink");
        for (List<String> c : commands) {
            List<String> args = c.stream().map(a -> a.replaceAll("\\$\\{[^}]*:-([^}]*)}", "$1")).toList();
            CommandLine cli = Tagpipe.commandLine();
            cli.parseArgs(args.toArray(String[]::new)); // throws on an unknown command or flag
        }
    }

    /** Env keys (compose environment maps, ConfigMap data) and {@code env[].name} values. */
    private static void collectSettingNames(JsonNode node, Set<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (ENV_NAME.matcher(e.getKey()).matches()) {
                    out.add(e.getKey());
                }
                if (e.getKey().equals("name") && ENV_NAME.matcher(e.getValue().asText()).matches()) {
                    out.add(e.getValue().asText());
                }
                collectSettingNames(e.getValue(), out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectSettingNames(n, out));
        }
    }

    /**
     * Arguments to the image's tagpipe entrypoint: compose {@code command} (unless {@code entrypoint}
     * replaces it) and k8s {@code args} (unless {@code command} replaces it, as the tools pod does).
     */
    private static void collectCommands(JsonNode node, boolean k8s, List<List<String>> out) {
        if (node.isObject()) {
            boolean tagpipeImage = node.path("image").asText().startsWith("tagpipe:");
            String argsKey = k8s ? "args" : "command";
            String replacesEntrypoint = k8s ? "command" : "entrypoint";
            if (tagpipeImage && !node.has(replacesEntrypoint) && node.path(argsKey).isArray()) {
                List<String> c = new ArrayList<>();
                node.get(argsKey).forEach(a -> c.add(a.asText()));
                out.add(c);
            }
            node.elements().forEachRemaining(n -> collectCommands(n, k8s, out));
        } else if (node.isArray()) {
            node.forEach(n -> collectCommands(n, k8s, out));
        }
    }

    private static Set<String> namesReadByCode() throws IOException {
        Set<String> names = new TreeSet<>();
        List<Path> roots = List.of(REPO.resolve("cli/src/main"), REPO.resolve("sink/src/main"), REPO.resolve("stream-processor/src/main"),
                REPO.resolve("admin/src/main"), REPO.resolve("collector-lib/src/main"), REPO.resolve("collector-lib/python/tagpipe_collector"));
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".py")).toList()) {
                    Matcher m = CODE_ENV.matcher(Files.readString(f));
                    while (m.find()) {
                        names.add(m.group(1) != null ? m.group(1) : m.group(2));
                    }
                }
            }
        }
        // the image's launcher reads its JVM options itself
        Matcher m = SHELL_ENV.matcher(Files.readString(DEPLOY.resolve("bin/tagpipe")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    static List<JsonNode> documents(Path f) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(f.toFile())) {
            return it.readAll().stream().filter(d -> d != null && !d.isNull() && !d.isMissingNode()).toList();
        }
    }
}
