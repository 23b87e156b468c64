package io.tagpipe.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A <b>test engine</b>, not a product server: the part of ClickHouse's HTTP interface that tagpipe's
 * client-v2 calls and the tests use, served on loopback in front of one {@link ChdbSession}, so the
 * same sink, report, retention and purge code runs unchanged against a current ClickHouse engine.
 *
 * <p>Speaks: {@code /ping}; the statement in the {@code query} URL parameter with the body as its
 * data ({@code INSERT … FORMAT RowBinary}), or the statement in the body; {@code database} /
 * {@code X-ClickHouse-Database}, {@code default_format} / {@code X-ClickHouse-Format}; users by Basic auth, {@code X-ClickHouse-User}
 * / {@code -Key} or URL parameters; other URL parameters as query settings. Answers with the
 * {@code X-ClickHouse-*} headers a server sends, errors as HTTP 500 with the engine's
 * {@code Code: N. DB::Exception: …} text and {@code X-ClickHouse-Exception-Code}. One query at a time.
 *
 * <p>Run by {@link ChdbEngine} as a child JVM: {@code ChdbHttpFront LIBCHDB DATA_DIR PORT}.
 */
public final class ChdbHttpFront {
    /** URL parameters of the HTTP interface itself; every other parameter is a setting. */
    private static final Set<String> PROTOCOL_PARAMS = Set.of("query", "database", "default_format", "user",
            "password", "query_id", "session_id", "session_timeout", "session_check", "compress", "decompress",
            "enable_http_compression", "buffer_size", "wait_end_of_query", "send_progress_in_http_headers",
            "http_headers_progress_interval_ms", "client_protocol_version", "quota_key");
    private static final Pattern CODE = Pattern.compile("Code:\\s*(\\d+)");
    private static final Pattern INSERT_FORMAT = Pattern.compile("(?is)^\\s*(INSERT\\s.*?)\\s+FORMAT\\s+(\\w+)\\s*$");
    private static final Map<String, String> USERS = Map.of("default", "",
            ClickHouseServer.SECURED_USER, ClickHouseServer.SECURED_PASSWORD);

    private final ChdbSession session;
    private final Path inserts;
    private final String version;
    private String currentDatabase = "default";

    private ChdbHttpFront(ChdbSession session, Path inserts) {
        this.session = session;
        this.inserts = inserts;
        this.version = new String(session.query("SELECT version()", "TabSeparated").output(),
                StandardCharsets.UTF_8).strip();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: ChdbHttpFront LIBCHDB_SO DATA_DIR PORT");
            System.exit(2);
        }
        ChdbSession session = ChdbSession.open(Path.of(args[0]), Path.of(args[1]));
        ChdbHttpFront front = new ChdbHttpFront(session, Files.createDirectories(Path.of(args[1]).toAbsolutePath().resolveSibling("inserts")));
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[2])), 64);
        http.setExecutor(Executors.newFixedThreadPool(8));
        http.createContext("/ping", ex -> front.reply(ex, 200, "Ok.\n".getBytes(StandardCharsets.UTF_8), Map.of()));
        http.createContext("/", front::handle);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.stop(0);
            session.close();
        }, "chdb-front-stop"));
        http.start();
        System.out.println("chDB " + front.version + " serving ClickHouse HTTP on 127.0.0.1:" + args[2]
                + ", data in " + args[1]);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            Map<String, String> params = params(ex.getRequestURI().getRawQuery());
            byte[] body = ex.getRequestBody().readAllBytes();
            String authError = authenticate(ex, params);
            if (authError != null) {
                fail(ex, "Code: 516. DB::Exception: " + authError + ". (AUTHENTICATION_FAILED)");
                return;
            }
            params.putIfAbsent("database", header(ex, "X-ClickHouse-Database", "default"));
            String format = params.getOrDefault("default_format",
                    header(ex, "X-ClickHouse-Format", "TabSeparated"));
            ChdbSession.Result r = run(params, body, format);
            if (r.failed()) {
                fail(ex, r.error());
                return;
            }
            String summary = String.format("{\"read_rows\":\"%d\",\"read_bytes\":\"%d\",\"written_rows\":\"%d\","
                    + "\"written_bytes\":\"%d\",\"total_rows_to_read\":\"0\",\"result_rows\":\"0\",\"result_bytes\":\"%d\"}",
                    r.rowsRead(), r.bytesRead(), r.rowsWritten(), r.bytesWritten(), r.output().length);
            reply(ex, 200, r.output(), Map.of("X-ClickHouse-Format", format, "X-ClickHouse-Summary", summary,
                    "Content-Type", "text/tab-separated-values; charset=UTF-8"));
        } catch (RuntimeException e) {
            fail(ex, "Code: 1001. DB::Exception: test engine front failed: " + e);
        } finally {
            ex.close();
        }
    }

    /**
     * Runs the statement with the body as its data. {@code INSERT … FORMAT F} reads the body from a
     * file ({@code FROM INFILE}): chDB cuts binary data inline in the query short. Other statements
     * with a body get it inline, after one newline.
     */
    private ChdbSession.Result run(Map<String, String> params, byte[] body, String format) throws IOException {
        String query = params.get("query");
        if (query == null || body.length == 0) {
            return run(query == null ? body : query.getBytes(StandardCharsets.UTF_8), params, format);
        }
        Matcher insert = INSERT_FORMAT.matcher(query);
        if (!insert.matches()) {
            byte[] q = (query.stripTrailing() + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] all = Arrays.copyOf(q, q.length + body.length);
            System.arraycopy(body, 0, all, q.length, body.length);
            return run(all, params, format);
        }
        Path data = Files.createTempFile(inserts, "insert-", ".bin");
        try {
            Files.write(data, body);
            String sql = insert.group(1) + " FROM INFILE " + literal(data.toString()) + " FORMAT " + insert.group(2);
            return run(sql.getBytes(StandardCharsets.UTF_8), params, format);
        } finally {
            Files.deleteIfExists(data);
        }
    }

    /** Database and settings apply to this query only, as on a server. */
    private ChdbSession.Result run(byte[] statement, Map<String, String> params, String format) {
        synchronized (session) {
            String db = params.getOrDefault("database", "default");
            if (!db.equals(currentDatabase)) {
                ChdbSession.Result use = session.query("USE " + ident(db), "TabSeparated");
                if (use.failed()) {
                    return use;
                }
                currentDatabase = db;
            }
            List<String> settings = new ArrayList<>();
            for (Map.Entry<String, String> e : params.entrySet()) {
                if (!PROTOCOL_PARAMS.contains(e.getKey()) && !e.getKey().startsWith("param_")) {
                    ChdbSession.Result set = session.query("SET " + ident(e.getKey()) + " = "
                            + literal(e.getValue()), "TabSeparated");
                    if (set.failed()) {
                        return set;
                    }
                    settings.add(e.getKey());
                }
            }
            try {
                return session.query(statement, format);
            } finally {
                for (String s : settings) {
                    session.query("SET " + ident(s) + " = DEFAULT", "TabSeparated");
                }
            }
        }
    }

    private static String authenticate(HttpExchange ex, Map<String, String> params) {
        String user = params.getOrDefault("user", header(ex, "X-ClickHouse-User", null));
        String password = params.getOrDefault("password", header(ex, "X-ClickHouse-Key", null));
        String basic = header(ex, "Authorization", null);
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            String pair = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            user = colon < 0 ? pair : pair.substring(0, colon);
            password = colon < 0 ? "" : pair.substring(colon + 1);
        }
        user = user == null || user.isEmpty() ? "default" : user;
        String expected = USERS.get(user);
        return expected != null && expected.equals(password == null ? "" : password) ? null
                : user + ": Authentication failed: password is incorrect, or there is no user with such name";
    }

    private void fail(HttpExchange ex, String error) throws IOException {
        Matcher m = CODE.matcher(error);
        String code = m.find() ? m.group(1) : "1001";
        String text = error.endsWith("\n") ? error : error + "\n";
        reply(ex, 500, text.getBytes(StandardCharsets.UTF_8), Map.of("X-ClickHouse-Exception-Code", code,
                "Content-Type", "text/plain; charset=UTF-8"));
    }

    private void reply(HttpExchange ex, int status, byte[] body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.getResponseHeaders().set("X-ClickHouse-Server-Display-Name", "chdb-test-engine");
        ex.getResponseHeaders().set("X-ClickHouse-Timezone", java.util.TimeZone.getDefault().getID());
        ex.getResponseHeaders().set("X-ClickHouse-Query-Id", java.util.UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String header(HttpExchange ex, String name, String fallback) {
        String v = ex.getRequestHeaders().getFirst(name);
        return v == null ? fallback : v;
    }

    static Map<String, String> params(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String ident(String s) {
        return "`" + s.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }

    private static String literal(String s) {
        return s.matches("-?\\d+(\\.\\d+)?") ? s : "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
