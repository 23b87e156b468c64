package io.tagpipe.cli;

import static io.tagpipe.cli.K8sManifestsTest.configMap;
import static io.tagpipe.cli.K8sManifestsTest.named;
import static io.tagpipe.cli.K8sManifestsTest.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagpipe.sink.Dialect;
import io.tagpipe.sink.SinkConfig;
import io.tagpipe.sink.Table;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s/cluster (the Altinity operator's ClickHouseInstallation + ClickHouseKeeperInstallation
 * and the sink's settings for them) checked offline: no operator runs here, so what is checked is
 * that the names the sink uses are the ones the installation defines, and that the sink's own
 * configuration code, fed those settings, writes in the cluster layout with macros the operator
 * generates.
 */
class K8sClusterExampleTest {
    private static final String CLUSTER_SETTINGS = "tagpipe-clickhouse-cluster";
    /**
     * The macros the operator generates on every server of an installation (its replication docs'
     * paths use them: /clickhouse/{installation}/{cluster}/tables/{shard}/… with replica {replica}).
     */
    private static final Set<String> OPERATOR_MACROS = Set.of("installation", "cluster", "shard", "replica");
    private static final Pattern MACRO = Pattern.compile("\\{([a-z_-]+)}");

    @Test
    void theSinkWritesToTheClusterTheInstallationDefinesThroughItsService() throws IOException {
        JsonNode chi = installation();
        JsonNode settings = named("ConfigMap", CLUSTER_SETTINGS).path("data");
        List<String> clusters = chi.path("spec").path("configuration").path("clusters").findValuesAsText("name");
        assertThat(clusters).contains(settings.path("TAGPIPE_SINK_CLICKHOUSE_CLUSTER").asText());
        JsonNode layout = chi.path("spec").path("configuration").path("clusters").get(0).path("layout");
        assertThat(layout.path("shardsCount").asInt()).as("shards").isEqualTo(2);
        assertThat(layout.path("replicasCount").asInt()).as("replicas per shard").isEqualTo(2);

        // the operator's Service for installation N in namespace S: clickhouse-N.S, HTTP on 8123
        URI url = URI.create(settings.path("TAGPIPE_CLICKHOUSE_URL").asText());
        String service = "clickhouse-" + chi.path("metadata").path("name").asText() + "." + chi.path("metadata").path("namespace").asText() + ".svc";
        assertThat(url.getHost()).isIn(service, service + ".cluster.local");
        assertThat(url.getPort()).isEqualTo(8123);

        SinkConfig config = sinkConfig();
        assertThat(config.layout().isCluster()).isTrue();
        assertThat(config.layout().cluster()).isEqualTo(settings.path("TAGPIPE_SINK_CLICKHOUSE_CLUSTER").asText());
        assertThat(config.clickhouseUrl()).startsWith(url.toString());
    }

    @Test
    void theSinksReplicatedTablesUseOnlyMacrosTheOperatorGenerates() throws IOException {
        SinkConfig config = sinkConfig();
        Set<String> used = new TreeSet<>();
        for (Table t : Table.values()) {
            for (Dialect d : Dialect.values()) {
                for (String ddl : config.layout().ddl(t, config.database(), d)) {
                    Matcher m = MACRO.matcher(ddl);
                    while (m.find()) {
                        used.add(m.group(1));
                    }
                }
            }
        }
        assertThat(used).contains("shard", "replica");
        assertThat(OPERATOR_MACROS).containsAll(used);
    }

    @Test
    void theInstallationReplicatesThroughTheKeeperService() throws IOException {
        JsonNode chi = installation();
        List<JsonNode> keepers = ofKind("ClickHouseKeeperInstallation");
        assertThat(keepers).hasSize(1);
        JsonNode chk = keepers.get(0);
        assertThat(chk.path("spec").path("configuration").path("clusters").get(0).path("layout").path("replicasCount").asInt() % 2)
                .as("a Raft quorum: an odd number of Keeper nodes").isEqualTo(1);
        // the operator's client Service for keeper installation K is keeper-K, in K's namespace
        String service = "keeper-" + chk.path("metadata").path("name").asText();
        String ns = chk.path("metadata").path("namespace").asText();
        JsonNode nodes = chi.path("spec").path("configuration").path("zookeeper").path("nodes");
        assertThat(nodes.size()).isPositive();
        String chiNamespace = chi.path("metadata").path("namespace").asText();
        Set<String> names = new TreeSet<>(Set.of(service + "." + ns, service + "." + ns + ".svc", service + "." + ns + ".svc.cluster.local"));
        if (chiNamespace.equals(ns)) {
            names.add(service);
        }
        for (JsonNode node : nodes) {
            assertThat(node.path("host").asText()).isIn(names);
            assertThat(node.path("port").asText()).isEqualTo(chk.path("spec").path("configuration").path("settings")
                    .path("keeper_server/tcp_port").asText());
        }
    }

    @Test
    void theInstallationHasTheSinksUserWithThePasswordTheSinkReads() throws IOException {
        JsonNode chi = installation();
        String user = configMap().path("data").path("TAGPIPE_CLICKHOUSE_USER").asText();
        JsonNode users = chi.path("spec").path("configuration").path("users");
        assertThat(users.path(user + "/networks/ip").size()).as(user + " may connect from other pods").isPositive();
        JsonNode ref = users.path(user + "/password").path("valueFrom").path("secretKeyRef");
        JsonNode secret = ofKind("Secret").stream()
                .filter(s -> s.path("metadata").path("name").asText().equals(ref.path("name").asText())
                        && s.path("metadata").path("namespace").equals(chi.path("metadata").path("namespace")))
                .findFirst().orElseThrow(() -> new AssertionError("Secret " + ref + " next to the installation"));
        String password = secret.path("stringData").path(ref.path("key").asText()).asText();
        assertThat(password).isNotEmpty()
                .isEqualTo(named("Secret", "tagpipe-credentials").path("stringData").path("clickhouse-password").asText());
    }

    @Test
    void theSinkAndTheToolsPodReadTheClusterSettingsAfterTheBaseOnes() throws IOException {
        JsonNode settings = named("ConfigMap", CLUSTER_SETTINGS);
        List<JsonNode> readers = List.of(named("Deployment", "tagpipe-sink").path("spec").path("template"), named("Pod", "tagpipe-tools"));
        for (JsonNode reader : readers) {
            JsonNode container = reader.path("spec").path("containers").get(0);
            List<String> sources = new ArrayList<>();
            container.path("envFrom").forEach(e -> sources.add(e.path("configMapRef").path("name").asText()));
            // for a key in several envFrom sources Kubernetes takes the last one
            assertThat(sources).as(container.path("name").asText()).containsExactly("tagpipe-config", CLUSTER_SETTINGS);
            assertThat(container.path("envFrom").get(1).path("configMapRef").path("optional").asBoolean())
                    .as("optional: without the cluster example the one-server settings apply").isTrue();
        }
        assertThat(settings.path("metadata").path("namespace")).isEqualTo(configMap().path("metadata").path("namespace"));
    }

    private static JsonNode installation() throws IOException {
        List<JsonNode> chis = ofKind("ClickHouseInstallation");
        assertThat(chis).hasSize(1);
        return chis.get(0);
    }

    /** What the sink's own code makes of tagpipe-config overlaid with the cluster settings (as envFrom does). */
    private static SinkConfig sinkConfig() throws IOException {
        Map<String, String> env = new HashMap<>();
        configMap().path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        named("ConfigMap", CLUSTER_SETTINGS).path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        env.remove("TAGPIPE_KAFKA_CONFIG"); // a file in the pod's Secret mount, not here
        env.put("TAGPIPE_CLICKHOUSE_PASSWORD", "from-the-secret");
        return SinkConfig.fromEnv(env).build();
    }
}
