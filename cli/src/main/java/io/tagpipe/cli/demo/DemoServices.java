package io.tagpipe.cli.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

import io.tagpipe.cli.report.ClickHouseHttp;
import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.KafkaBroker;

/** The embedded Kafka broker and the ClickHouse the demo talks to (its own process, or the user's). */
final class DemoServices implements AutoCloseable {
    private final KafkaBroker kafka;
    private final ClickHouseServer localClickhouse;
    private final String clickhouseUrl;
    private final ClickHouseHttp clickhouse;

    private DemoServices(KafkaBroker kafka, ClickHouseServer local, String url, ClickHouseHttp clickhouse) {
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
                ClickHouseHttp http = new ClickHouseHttp(url, s.clickhouseUser(), s.clickhousePassword());
                out.println("  clickhouse  " + url + " (existing server, version " + http.text("SELECT version()").strip() + ")");
                return new DemoServices(kafka, null, url, http);
            }
            long t1 = System.nanoTime();
            ClickHouseServer ch = ClickHouseServer.start(s.workDir().resolve("clickhouse"));
            ClickHouseHttp http = new ClickHouseHttp(ch.url(), "default", "");
            out.printf("  clickhouse  %s (clickhouse-server %s, tcp port %d, data in %s) in %.1f s%n", ch.url(),
                    http.text("SELECT version()").strip(), ch.tcpPort(), ch.dir(), (System.nanoTime() - t1) / 1e9);
            return new DemoServices(kafka, ch, ch.url(), http);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    String clickhouseUrl() {
        return clickhouseUrl;
    }

    ClickHouseHttp clickhouse() {
        return clickhouse;
    }

    Optional<ClickHouseServer> localClickhouse() {
        return Optional.ofNullable(localClickhouse);
    }

    Path kafkaDir() {
        return kafka.logDir();
    }

    @Override
    public void close() {
        try {
            if (localClickhouse != null) {
                localClickhouse.close();
            }
        } finally {
            kafka.close();
        }
    }
}
