package io.tagpipe.cli;

import static io.tagpipe.cli.DeployFilesTest.DEPLOY;
import static io.tagpipe.cli.DeployFilesTest.REPO;
import static io.tagpipe.cli.DeployFilesTest.documents;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s checked offline against what Kubernetes and Strimzi will do with it: names that must
 * agree across files, the files each tagpipe container is told to read, and the commands the
 * READMEs tell operators to run.
 */
class K8sManifestsTest {
    private static final Pattern EXEC = Pattern.compile("kubectl (?:-n \\S+ )?exec ([a-z0-9][a-z0-9.-]*) -- tagpipe ([a-z-].*?)\\s*(?:#.*)?(?:`.*)?$");

    @Test
    void strimziTopicsAndTheBootstrapAddressNameTheSameKafkaCluster() throws IOException {
        Set<String> clusters = new TreeSet<>();
        Set<String> namespaces = new TreeSet<>();
        for (JsonNode topic : documents(DEPLOY.resolve("k8s/02-topics-strimzi.yaml"))) {
            clusters.add(topic.path("metadata").path("labels").path("strimzi.io/cluster").asText());
            namespaces.add(topic.path("metadata").path("namespace").asText());
        }
        assertThat(clusters).singleElement().asString().isNotBlank();
        assertThat(namespaces).singleElement().asString().isNotBlank();
        // Strimzi names the bootstrap Service of Kafka cluster C "C-kafka-bootstrap"
        String service = clusters.iterator().next() + "-kafka-bootstrap." + namespaces.iterator().next() + ".svc";

        String servers = configMap().path("data").path("TAGPIPE_BOOTSTRAP_SERVERS").asText();
        assertThat(servers.split(",")).isNotEmpty().allSatisfy(server ->
                assertThat(server.strip().replaceAll(":\\d+$", "")).isIn(service, service + ".cluster.local"));
    }

    @Test
    void everyStatefulSetNamesAHeadlessServiceThatSelectsItsPods() throws IOException {
        List<JsonNode> sets = ofKind("StatefulSet");
        assertThat(sets).isNotEmpty();
        for (JsonNode set : sets) {
            String serviceName = set.path("spec").path("serviceName").asText();
            JsonNode service = ofKind("Service").stream()
                    .filter(s -> s.path("metadata").path("name").asText().equals(serviceName)
                            && s.path("metadata").path("namespace").equals(set.path("metadata").path("namespace")))
                    .findFirst().orElse(null);
            assertThat(service).as("Service " + serviceName + " named by StatefulSet " + set.path("metadata").path("name")).isNotNull();
            assertThat(service.path("spec").path("clusterIP").asText()).isEqualTo("None");
            JsonNode labels = set.path("spec").path("template").path("metadata").path("labels");
            assertThat(service.path("spec").path("selector").size()).isPositive();
            service.path("spec").path("selector").fields().forEachRemaining(e ->
                    assertThat(labels.path(e.getKey())).as("pod label " + e.getKey()).isEqualTo(e.getValue()));
        }
    }

    /** The ConfigMap names TAGPIPE_KAFKA_CONFIG, env names *_FILE: each container must have those files. */
    @Test
    void everyTagpipeContainerGetsTheSettingsAndEveryFileTheyName() throws IOException {
        JsonNode config = configMap();
        List<String> checked = new ArrayList<>();
        for (JsonNode pod : podSpecs()) {
            for (JsonNode container : pod.path("containers")) {
                if (!container.path("image").asText().startsWith("tagpipe:")) {
                    continue;
                }
                String who = container.path("name").asText();
                assertThat(container.path("envFrom").findValuesAsText("name")).as(who).contains(config.path("metadata").path("name").asText());
                List<String> files = new ArrayList<>();
                config.path("data").fields().forEachRemaining(e -> {
                    if (e.getKey().endsWith("_FILE") || e.getKey().endsWith("_CONFIG")) {
                        files.add(e.getValue().asText());
                    }
                });
                container.path("env").forEach(e -> {
                    if (e.path("name").asText().endsWith("_FILE")) {
                        files.add(e.path("value").asText());
                    }
                });
                for (String file : files) {
                    assertThat(secretKeyMountedAt(pod, container, file)).as(who + " reads " + file).isPresent();
                }
                checked.add(who);
            }
        }
        assertThat(checked).contains("topics", "processor", "sink", "tools");
    }

    /** The READMEs' admin commands: run in a pod the manifests define, and they parse with the real CLI. */
    @Test
    void readmeAdminCommandsExecInTheToolsPodAndParse() throws IOException {
        Set<String> pods = new TreeSet<>();
        ofKind("Pod").forEach(p -> pods.add(p.path("metadata").path("name").asText()));
        List<String> lines = new ArrayList<>();
        for (Path readme : List.of(DEPLOY.resolve("k8s/README.md"), DEPLOY.resolve("k8s/cluster/README.md"), REPO.resolve("README.md"))) {
            Files.readAllLines(readme).stream().filter(l -> l.contains("kubectl")).forEach(lines::add);
        }
        // kubectl run --image=tagpipe… starts a pod with neither the ConfigMap nor the credentials
        assertThat(lines).noneMatch(l -> l.contains(" run ") && l.contains("tagpipe:"));
        List<Matcher> execs = lines.stream().map(EXEC::matcher).filter(Matcher::find).toList();
        assertThat(execs).isNotEmpty();
        for (Matcher exec : execs) {
            assertThat(pods).contains(exec.group(1));
            Tagpipe.commandLine().parseArgs(exec.group(2).split("\\s+")); // throws on an unknown command or flag
        }
    }

    /** The secret key a volume mount of {@code pod} puts at {@code file} in {@code container}, if any. */
    private static Optional<String> secretKeyMountedAt(JsonNode pod, JsonNode container, String file) throws IOException {
        Path path = Path.of(file);
        for (JsonNode mount : container.path("volumeMounts")) {
            Path dir = Path.of(mount.path("mountPath").asText());
            if (!path.getParent().equals(dir)) {
                continue;
            }
            for (JsonNode volume : pod.path("volumes")) {
                if (volume.path("name").equals(mount.path("name")) && volume.has("secret")) {
                    JsonNode secret = named("Secret", volume.path("secret").path("secretName").asText());
                    String key = path.getFileName().toString();
                    if (secret.path("stringData").has(key) || secret.path("data").has(key)) {
                        return Optional.of(key);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<JsonNode> podSpecs() throws IOException {
        List<JsonNode> specs = new ArrayList<>();
        for (JsonNode doc : k8sDocuments()) {
            switch (doc.path("kind").asText()) {
                case "Pod" -> specs.add(doc.path("spec"));
                case "Deployment", "StatefulSet", "Job", "DaemonSet" -> specs.add(doc.path("spec").path("template").path("spec"));
                default -> { }
            }
        }
        return specs;
    }

    static JsonNode configMap() throws IOException {
        return named("ConfigMap", "tagpipe-config");
    }

    static JsonNode named(String kind, String name) throws IOException {
        return ofKind(kind).stream().filter(d -> d.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(kind + " " + name + " is not defined in deploy/k8s"));
    }

    static List<JsonNode> ofKind(String kind) throws IOException {
        return k8sDocuments().stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    private static List<JsonNode> k8sDocuments() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (Path f : DeployFilesTest.yamlFiles()) {
            if (f.startsWith(DEPLOY.resolve("k8s"))) {
                docs.addAll(documents(f));
            }
        }
        return docs;
    }
}
