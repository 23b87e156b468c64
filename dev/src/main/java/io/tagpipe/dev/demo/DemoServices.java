package io.tagpipe.dev.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.tagpipe.cli.report.ClickHouseReads;
import io.tagpipe.sink.ClickHouseStore;
import io.tagpipe.testkit.ChdbEngine;
import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.KafkaBroker;

/** The embedded Kafka broker and the ClickHouse the demo talks to (its own process, or the user's). */
final class DemoServices implements AutoCloseable {
    private final KafkaBroker kafka;
    private final ClickHouse localClickhouse;
    private final String clickhouseUrl;
    private final ClickHouseReads clickhouse;

    private DemoServices(KafkaBroker kafka, ClickHouse local, String url, ClickHouseReads clickhouse) {
        this.kafka = kafka;
        this.localClickhouse = local;
        this.clickhouseUrl = url;
        this.clickhouse = clickhouse;
    }

    static DemoServices start(DemoSettings s, PrintWriter out) {
        long t0 = System.nanoTime();
        KafkaBroker kafka = KafkaBroker.start(s.workDir().resolve("kafka"));
        out.printf("  kafka       %s (embedded KRaft broker, data in %s) in %.1f s%n", kafka.bootstrapServers(),
                kafka.logDir(), (System.nanoTime() - t0) / 1e9);
        out.flush();
        try {
            if (s.clickhouseUrl().isPresent()) {
                String url = s.clickhouseUrl().get();
                ClickHouseReads reads = reads(url, s.clickhouseUser(), s.clickhousePassword(), s.database());
                out.println("  clickhouse  " + url + " (existing server, version " + reads.text("SELECT version()").strip() + ")");
                return new DemoServices(kafka, null, url, reads);
            }
            long t1 = System.nanoTime();
            ClickHouse ch = s.localClickhouse() == DemoSettings.LocalClickHouse.CURRENT
                    ? ChdbEngine.start(java.nio.file.Files.createDirectories(s.workDir().resolve("clickhouse")))
                    : ClickHouseServer.start(s.workDir().resolve("clickhouse"));
            ClickHouseReads reads = reads(ch.url(), "default", "", s.database());
            String what = ch instanceof ClickHouseServer server
                    ? "clickhouse-server " + reads.text("SELECT version()").strip() + ", tcp port " + server.tcpPort()
                    : "ClickHouse " + reads.text("SELECT version()").strip() + " engine (chDB) behind a loopback HTTP front";
            out.printf("  clickhouse  %s (%s, data in %s) in %.1f s%n", ch.url(), what, ch.dir(),
                    (System.nanoTime() - t1) / 1e9);
            return new DemoServices(kafka, ch, ch.url(), reads);
        } catch (java.io.IOException e) {
            kafka.close();
            throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    private static ClickHouseReads reads(String url, String user, String password, String database) {
        return new ClickHouseReads(new ClickHouseStore(url, user, password, database, Duration.ofSeconds(60)));
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    String clickhouseUrl() {
        return clickhouseUrl;
    }

    ClickHouseReads clickhouse() {
        return clickhouse;
    }

    Optional<ClickHouse> localClickhouse() {
        return Optional.ofNullable(localClickhouse);
    }

    /** The native port for {@code clickhouse-client}, when the demo runs a clickhouse-server. */
    int clickhouseTcpPort() {
        return localClickhouse instanceof ClickHouseServer server ? server.tcpPort() : -1;
    }

    Path kafkaDir() {
        return kafka.logDir();
    }

    @Override
    public void close() {
        try {
            clickhouse.close();
            if (localClickhouse != null) {
                localClickhouse.close();
            }
        } finally {
            kafka.close();
        }
    }
}
