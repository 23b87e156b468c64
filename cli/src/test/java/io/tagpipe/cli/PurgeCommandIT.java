package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.tagpipe.sink.ClickHouseStore;
import io.tagpipe.sink.Sql;
import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.EachClickHouse;
import io.tagpipe.testkit.RealServices;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** {@code tagpipe purge} and {@code tagpipe retention run} against each real ClickHouse. */
@ExtendWith(RealServices.class)
class PurgeCommandIT {
    private static final String HOSTILE = "x'); DROP DATABASE y; -- \\' \"";

    @EachClickHouse
    void purgeAsksForConfirmationThenDeletesOnlyThatApp(ClickHouse ch) throws Exception {
        String db = RealServices.unique("purge");
        try (ClickHouseStore store = new ClickHouseStore(ch.url(), "default", "", db, Duration.ofSeconds(30))) {
            store.ensureSchema();
        }
        for (String app : new String[] {HOSTILE, "keep"}) {
            ch.query("INSERT INTO " + db + ".logs (ts, ts_ms, id, app, retention_days) VALUES (now(), 0, 'i', "
                    + Sql.literal(app) + ", 30)");
        }

        assertThat(purge("not the app\n", "--clickhouse-url", ch.url(), "--database", db)).isEqualTo(1);
        assertThat(ch.queryLong("SELECT count() FROM " + db + ".logs")).isEqualTo(2);

        // the jdbc form, its database in the URL: only that database's rows go
        assertThat(purge(HOSTILE + "\n", "--clickhouse-url", "jdbc:clickhouse://127.0.0.1:" + ch.httpPort() + "/" + db)).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> ch.queryLong("SELECT count() FROM " + db + ".logs") == 1);
        assertThat(ch.query("SELECT app FROM " + db + ".logs").trim()).isEqualTo("keep");

        assertThat(Tagpipe.commandLine().execute("retention", "run", "--clickhouse-url", ch.url(), "--database", db))
                .isZero();
    }

    private static int purge(String typed, String... connection) {
        PurgeCommand cmd = new PurgeCommand();
        cmd.in = new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8));
        String[] args = new String[connection.length + 1];
        args[0] = HOSTILE;
        System.arraycopy(connection, 0, args, 1, connection.length);
        return new CommandLine(cmd).execute(args);
    }
}
