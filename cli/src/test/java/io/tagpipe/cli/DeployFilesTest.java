package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * YAML parses, every image is pinned, every {@code TAGPIPE_*} setting is one the code reads, and
 * every tagpipe command line in them parses with the real CLI.
 */
class DeployFilesTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path DEPLOY = REPO.resolve("deploy");
    private static final Pattern ENV_NAME = Pattern.compile("TAGPIPE_[A-Z0-9_]+");
    private static final Pattern CODE_ENV = Pattern.compile("\"(TAGPIPE_[A-Z0-9_]+)\"|\\$\\{env:(TAGPIPE_[A-Z0-9_]+)");

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
    void everyImageIsPinnedToATag() throws IOException {
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
        assertThat(images).hasSizeGreaterThanOrEqualTo(6);
        assertThat(images).allSatisfy(image -> {
            String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
            assertThat(tag).as(image + " must carry a version tag").isNotEmpty().isNotEqualTo("latest").matches(".*\\d.*");
        });
    }

    @Test
    void theImageHoldsTheProductionProgramAloneBuiltFromSources() throws IOException {
        List<String> dockerfile = Files.readAllLines(DEPLOY.resolve("Dockerfile"));
        assertThat(dockerfile).anySatisfy(l -> assertThat(l).startsWith("RUN mvn ").contains(" package -pl cli "));
        List<String> copied = dockerfile.stream().filter(l -> l.startsWith("COPY --from=build ")).toList();
        assertThat(copied).hasSize(2).allSatisfy(l -> assertThat(l).contains("/src/cli/target/"));
        assertThat(dockerfile).anySatisfy(l -> assertThat(l).startsWith("ENTRYPOINT ").contains("io.tagpipe.cli.Tagpipe"));
        assertThat(Files.readAllLines(REPO.resolve(".dockerignore"))).contains("**/target");
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
                collectCommands(doc, commands);
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

    /** compose {@code command} and k8s {@code args} of containers running the tagpipe image. */
    private static void collectCommands(JsonNode node, List<List<String>> out) {
        if (node.isObject()) {
            boolean tagpipeImage = node.path("image").asText().startsWith("tagpipe:");
            for (String key : List.of("command", "args")) {
                if (tagpipeImage && node.path(key).isArray()) {
                    List<String> c = new ArrayList<>();
                    node.get(key).forEach(a -> c.add(a.asText()));
                    out.add(c);
                }
            }
            node.elements().forEachRemaining(n -> collectCommands(n, out));
        } else if (node.isArray()) {
            node.forEach(n -> collectCommands(n, out));
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
        return names;
    }

    private static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    private static List<JsonNode> documents(Path f) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(f.toFile())) {
            return it.readAll().stream().filter(d -> d != null && !d.isNull() && !d.isMissingNode()).toList();
        }
    }
}
