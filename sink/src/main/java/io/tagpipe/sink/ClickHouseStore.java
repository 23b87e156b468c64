package io.tagpipe.sink;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import org.apache.kafka.common.TopicPartition;

/**
 * ClickHouse over HTTP with the official client (client-v2): schema, RowBinary inserts, and the
 * few queries the sink and the retention job need. Works with 18.16 because responses and requests
 * are uncompressed and every query reads TabSeparated.
 *
 * <p>On a cluster ({@link Layout}) it inserts through the Distributed tables synchronously
 * ({@code insert_distributed_sync}: acknowledged = written on the shard) with {@code insert_quorum}
 * = the replicas of a shard (acknowledged = on every replica), and reads the stored offsets from
 * every replica's local table ({@link #everyReplica}), so an offset any replica holds counts as
 * written, and an unreachable replica fails the read (the sink pauses) instead of hiding its rows.
 */
public final class ClickHouseStore implements Store, AutoCloseable {
    private final Client client;
    private final String url;
    private final String database;
    private final Duration timeout;
    private final Layout layout;
    private final String user;
    private final String password;
    private volatile Dialect dialect;
    private volatile ClusterServers servers;

    /** On one server: see {@link #ClickHouseStore(String, String, String, String, Duration, Layout)}. */
    public ClickHouseStore(String url, String user, String password, String database, Duration timeout) {
        this(url, user, password, database, timeout, Layout.single());
    }

    /**
     * The one place a ClickHouse client is built: {@code url} in either form {@link ClickHouseUrl} reads; the
     * database is not taken from it (resolve it with {@link ClickHouseUrl#database(String, String)} first).
     */
    public ClickHouseStore(String url, String user, String password, String database, Duration timeout, Layout layout) {
        this.url = ClickHouseUrl.parse(url).httpUrl();
        this.client = new Client.Builder()
                .addEndpoint(this.url)
                .setUsername(user)
                .setPassword(password)
                .compressServerResponse(false)
                .compressClientRequest(false)
                .setConnectTimeout(5, ChronoUnit.SECONDS)
                .setSocketTimeout(timeout.toMillis(), ChronoUnit.MILLIS)
                .setMaxRetries(0) // the sink retries itself, after re-reading what was stored
                .build();
        this.database = database;
        this.timeout = timeout;
        this.layout = layout;
        this.user = user;
        this.password = password == null ? "" : password;
    }

    public static ClickHouseStore of(SinkConfig c) {
        return new ClickHouseStore(c.clickhouseUrl(), c.clickhouseUser(), c.clickhousePassword(), c.database(),
                c.insertTimeout(), c.layout());
    }

    public String database() {
        return database;
    }

    /** The HTTP URL the client connects to. */
    public String url() {
        return url;
    }

    public Layout layout() {
        return layout;
    }

    /** Where rows are written and read: {@code `db`.`logs`} (on a cluster the Distributed table over every shard). */
    public String table(Table t) {
        return Sql.table(database, t.tableName());
    }

    /** What an {@code ALTER} of the table names (on a cluster: its local tables, {@code ON CLUSTER}). */
    public String alterTarget(Table t) {
        return layout.alterTarget(database, t);
    }

    /**
     * A table expression reading {@code db.table} on every server: the table itself on one server;
     * on a cluster every replica of every shard ({@link ClusterServers#remote}).
     */
    public String everyReplica(String db, String table) throws Exception {
        return layout.isCluster() ? servers().remote(db, table, user, password) : Sql.table(db, table);
    }

    /** The table of {@link #everyReplica} holding {@code t}'s rows: {@code logs}, or {@code logs_local}. */
    public String localName(Table t) {
        return layout.localName(t);
    }

    private ClusterServers servers() throws Exception {
        ClusterServers c = servers;
        if (c == null) {
            c = ClusterServers.of(layout.cluster(), queryRows(ClusterServers.query(layout.cluster())));
            servers = c;
        }
        return c;
    }

    /** A quorum of more than one replica: one quorum INSERT per table at a time (18.16 has no parallel quorum inserts). */
    @Override
    public boolean oneInsertAtATime() {
        if (!layout.isCluster()) {
            return false;
        }
        try {
            return servers().quorum() > 1;
        } catch (Exception e) {
            return true; // not known yet (the insert will say why): the safe answer
        }
    }

    /** On a cluster: synchronous distribution, a quorum of every replica given up after half the insert timeout. */
    private InsertSettings insertSettings() throws Exception {
        return layout.isCluster() ? servers().insertSettings(timeout.dividedBy(2)) : new InsertSettings();
    }

    public String version() throws Exception {
        return queryText("SELECT version()").strip();
    }

    /** Reads the server version once and remembers the dialect. */
    public Dialect dialect() throws Exception {
        if (dialect == null) {
            dialect = Dialect.forVersion(version());
        }
        return dialect;
    }

    /** CREATE DATABASE / TABLE IF NOT EXISTS for all tables (on a cluster: on every server). */
    public void ensureSchema() throws Exception {
        execute(layout.createDatabase(database));
        for (Table t : Table.values()) {
            for (String ddl : layout.ddl(t, database, dialect())) {
                execute(ddl);
            }
        }
    }

    /** Streams the slice's RowBinary bytes from the batch buffer into the request body (no copy per row). */
    @Override
    public void insert(EncodedRows.Slice rows) throws Exception {
        Table table = rows.table();
        List<String> cols = table.columnNames(dialect()).stream().map(Sql::ident).toList();
        client.insert(table(table), cols, rows::writeTo, ClickHouseFormat.RowBinary, insertSettings())
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).close();
    }

    /** Pre-encoded rows in {@code format}; also used by the format benchmark. */
    void insertEncoded(Table table, List<byte[]> rows, ClickHouseFormat format) throws Exception {
        List<String> cols = table.columnNames(dialect()).stream().map(Sql::ident).toList();
        try (InputStream in = new ChunksInputStream(rows)) {
            client.insert(table(table), cols, in, format, insertSettings())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).close();
        }
    }

    @Override
    public Map<TopicPartition, Long> maxOffsets(Table table, Map<TopicPartition, Window> windows) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        if (!windows.isEmpty()) {
            forEachRow("SELECT kafka_topic, kafka_partition, max(kafka_offset) FROM "
                    + everyReplica(database, localName(table)) + " WHERE " + within(windows)
                    + " GROUP BY kafka_topic, kafka_partition",
                    r -> out.put(new TopicPartition(r[0], Integer.parseInt(r[1])), Long.parseLong(r[2])));
        }
        return out;
    }

    /** Streams the offsets (the result is not held in memory, only handed over). */
    @Override
    public void storedOffsets(Table table, Map<TopicPartition, Window> windows, OffsetSink sink) throws Exception {
        if (!windows.isEmpty()) {
            forEachRow("SELECT kafka_topic, kafka_partition, kafka_offset FROM "
                    + everyReplica(database, localName(table)) + " WHERE " + within(windows),
                    r -> sink.accept(new TopicPartition(r[0], Integer.parseInt(r[1])), Long.parseLong(r[2])));
        }
    }

    private static String within(Map<TopicPartition, Window> windows) {
        return windows.entrySet().stream()
                .map(e -> "(kafka_topic = " + Sql.literal(e.getKey().topic()) + " AND kafka_partition = "
                        + e.getKey().partition() + " AND kafka_offset >= " + e.getValue().from()
                        + " AND kafka_offset < " + e.getValue().to() + ")")
                .collect(Collectors.joining(" OR "));
    }

    /** The server's time zone as this user's session sees it: {@code toYYYYMMDD} picks days in it. */
    public ZoneId timeZone() throws Exception {
        return ZoneId.of(queryText("SELECT timezone()").strip());
    }

    /** Runs a statement that returns nothing useful (DDL, ALTER). */
    public void execute(String sql) throws Exception {
        queryText(sql);
    }

    /** TabSeparated rows, fields unescaped. */
    public List<String[]> queryRows(String sql) throws Exception {
        List<String[]> rows = new ArrayList<>();
        forEachRow(sql, rows::add);
        return rows;
    }

    /** Hands each TabSeparated row (fields unescaped) to {@code row} as it is read from the response. */
    void forEachRow(String sql, Consumer<String[]> row) throws Exception {
        try (QueryResponse r = client.query(sql, new QuerySettings().setFormat(ClickHouseFormat.TabSeparated))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
             BufferedReader in = new BufferedReader(new InputStreamReader(r.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isEmpty()) {
                    String[] f = line.split("\t", -1);
                    for (int i = 0; i < f.length; i++) {
                        f[i] = unescapeTsv(f[i]);
                    }
                    row.accept(f);
                }
            }
        }
    }

    public String queryText(String sql) throws Exception {
        try (QueryResponse r = client.query(sql, new QuerySettings().setFormat(ClickHouseFormat.TabSeparated))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            r.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    static String unescapeTsv(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case '0' -> '\0';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        client.close();
    }

    /** Streams pre-encoded rows without concatenating them into one array. */
    private static final class ChunksInputStream extends InputStream {
        private final List<byte[]> chunks;
        private int chunk;
        private int pos;

        ChunksInputStream(List<byte[]> chunks) {
            this.chunks = chunks;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = 0;
            while (n < len && chunk < chunks.size()) {
                byte[] c = chunks.get(chunk);
                int take = Math.min(len - n, c.length - pos);
                System.arraycopy(c, pos, b, off + n, take);
                n += take;
                pos += take;
                if (pos == c.length) {
                    chunk++;
                    pos = 0;
                }
            }
            return n == 0 && len > 0 ? -1 : n;
        }
    }
}
