package io.tagpipe.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Debian's {@code clickhouse-server} (18.16 here) as a process on free loopback ports with its own
 * throw-away data dir; it speaks the legacy dialect. Lifecycle and queries: {@link ClickHouse}.
 */
public final class ClickHouseServer extends ClickHouse {
    /** A second user with a password (the {@code default} user has none), for credential tests. */
    public static final String SECURED_USER = "tagpipe_secured";
    public static final String SECURED_PASSWORD = "Pw-7f3c9e1b-do-not-print";
    private static final List<String> SEARCH_PATH = List.of("/usr/bin", "/usr/sbin", "/usr/local/bin");

    private final Path binary;
    private final int tcpPort;
    private final int interserverPort;

    private ClickHouseServer(Path dir, Path binary) {
        super(dir);
        this.binary = binary;
        this.tcpPort = KafkaBroker.freePort();
        this.interserverPort = KafkaBroker.freePort();
    }

    /** Writes a config under {@code dir} and starts the server; fails with an install hint if absent. */
    public static ClickHouseServer start(Path dir) {
        ClickHouseServer s = create(dir);
        s.start();
        return s;
    }

    /**
     * Picks the ports and writes the config under {@code dir} without starting the server, so a
     * caller can add a {@link #addConfig config.d part} first (a cluster needs every node's ports).
     */
    public static ClickHouseServer create(Path dir) {
        ClickHouseServer s = new ClickHouseServer(dir, locate().orElseThrow(() -> new IllegalStateException(
                "clickhouse-server is not installed. Install Debian's package: "
                        + "'apt-get install -y clickhouse-server clickhouse-client' "
                        + "(./tagpipe test and ./tagpipe demo do this themselves when run as root), "
                        + "or point tagpipe at an existing server with --clickhouse-url.")));
        s.writeConfig();
        return s;
    }

    /**
     * Writes {@code config.d/NAME.xml}, which the server merges over its config.xml when it starts
     * ({@code replace="1"} on an element replaces the section instead of merging into it).
     */
    public void addConfig(String name, String xml) {
        try {
            Files.createDirectories(dir().resolve("config.d"));
            Files.writeString(dir().resolve("config.d").resolve(name + ".xml"), xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Optional<Path> locate() {
        String path = System.getenv().getOrDefault("PATH", "");
        return java.util.stream.Stream.concat(List.of(path.split(":")).stream(), SEARCH_PATH.stream())
                .filter(p -> !p.isEmpty())
                .map(p -> Path.of(p, "clickhouse-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    @Override
    public String name() {
        return "clickhouse-server 18.16";
    }

    public int tcpPort() {
        return tcpPort;
    }

    @Override
    protected List<String> command() {
        return List.of(binary.toString(), "--config-file=" + dir().resolve("config.xml"));
    }

    @Override
    protected String lastLogLines() {
        return tail(dir().resolve("server.err.log"), 25) + tail(dir().resolve("stdout.log"), 25);
    }

    @Override
    protected String logHint() {
        return dir().resolve("server.err.log") + " and " + dir().resolve("stdout.log");
    }

    private void writeConfig() {
        Path dir = dir();
        try {
            for (String d : List.of("data", "tmp", "user_files", "format_schemas")) {
                Files.createDirectories(dir.resolve(d));
            }
            Files.writeString(dir.resolve("config.xml"), """
                    <?xml version="1.0"?>
                    <yandex>
                      <logger><level>warning</level><log>%1$s/server.log</log><errorlog>%1$s/server.err.log</errorlog>
                        <size>100M</size><count>1</count></logger>
                      <http_port>%2$d</http_port>
                      <tcp_port>%3$d</tcp_port>
                      <interserver_http_port>%4$d</interserver_http_port>
                      <listen_host>127.0.0.1</listen_host>
                      <path>%1$s/data/</path>
                      <tmp_path>%1$s/tmp/</tmp_path>
                      <user_files_path>%1$s/user_files/</user_files_path>
                      <format_schema_path>%1$s/format_schemas/</format_schema_path>
                      <users_config>users.xml</users_config>
                      <default_profile>default</default_profile>
                      <default_database>default</default_database>
                      <mark_cache_size>268435456</mark_cache_size>
                      <max_concurrent_queries>100</max_concurrent_queries>
                      <kafka><auto_offset_reset>smallest</auto_offset_reset></kafka>
                    </yandex>
                    """.formatted(dir.toAbsolutePath(), httpPort(), tcpPort, interserverPort));
            Files.writeString(dir.resolve("users.xml"), """
                    <?xml version="1.0"?>
                    <yandex>
                      <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
                      <users><default><password></password><networks><ip>::/0</ip></networks>
                        <profile>default</profile><quota>default</quota></default>
                        <%1$s><password>%2$s</password><networks><ip>::/0</ip></networks>
                        <profile>default</profile><quota>default</quota></%1$s></users>
                      <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
                        <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
                      </interval></default></quotas>
                    </yandex>
                    """.formatted(SECURED_USER, SECURED_PASSWORD));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
