package io.tagpipe.sink;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one parser of {@code --clickhouse-url} ({@code TAGPIPE_CLICKHOUSE_URL}). Two forms:
 * <ul>
 *   <li>{@code http(s)://host:port[/base-path]}: ClickHouse's HTTP interface (a base path for a proxy in front);</li>
 *   <li>{@code jdbc:clickhouse://host:port[/database][?ssl=true]} (or {@code jdbc:ch://}), as JDBC tools write it:
 *       the same HTTP interface, {@code ssl=true} meaning https, the path naming the database.</li>
 * </ul>
 * Every other shape is an error naming the setting: no silent defaults (no port means no port, not 8123),
 * no parameters the client would ignore, no credentials in the URL (they would be printed with it).
 *
 * @param path     the HTTP base path ({@code ""} for none); always {@code ""} in the JDBC form
 * @param database the database the JDBC form names, if any
 */
public record ClickHouseUrl(boolean secure, String host, int port, String path, Optional<String> database) {
    public static final String SETTING = "--clickhouse-url";
    private static final String FORMS = "http(s)://host:port or jdbc:clickhouse://host:port[/database][?ssl=true]";
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+]");
    private static final Pattern BASE_PATH = Pattern.compile("(/[A-Za-z0-9._~-]*)*");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Parses one URL; the error message names {@value #SETTING}, the URL and what is wrong with it. */
    public static ClickHouseUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw bad(text, "it is empty");
        }
        String url = text.strip();
        if (url.contains("#")) {
            throw bad(text, "a URL fragment (#) is not supported");
        }
        int sep = url.indexOf("://");
        if (sep < 0) {
            throw bad(text, "it has no scheme");
        }
        String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        boolean jdbc = scheme.equals("jdbc:clickhouse") || scheme.equals("jdbc:ch");
        if (!jdbc && !scheme.equals("http") && !scheme.equals("https")) {
            throw bad(text, "unknown scheme '" + url.substring(0, sep) + "'");
        }
        String rest = url.substring(sep + 3);
        int queryAt = rest.indexOf('?');
        String query = queryAt < 0 ? "" : rest.substring(queryAt + 1);
        String beforeQuery = queryAt < 0 ? rest : rest.substring(0, queryAt);
        int slash = beforeQuery.indexOf('/');
        String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
        String path = slash < 0 ? "" : beforeQuery.substring(slash);
        if (authority.contains("@")) {
            throw bad(text, "credentials do not belong in the URL: use --clickhouse-user and TAGPIPE_CLICKHOUSE_PASSWORD");
        }
        int colon = authority.lastIndexOf(':');
        String host = colon < 0 || authority.endsWith("]") ? authority : authority.substring(0, colon);
        if (host.isEmpty()) {
            throw bad(text, "missing host");
        }
        if (!HOST.matcher(host).matches()) {
            throw bad(text, "bad host '" + host + "'");
        }
        if (colon < 0 || authority.endsWith("]")) {
            throw bad(text, "missing port (e.g. " + host + ":8123)");
        }
        int port = port(text, authority.substring(colon + 1));
        if (jdbc) {
            return new ClickHouseUrl(ssl(text, query), host, port, "", databaseIn(text, path));
        }
        if (!query.isEmpty()) {
            throw bad(text, "unsupported parameter '" + query.split("&")[0] + "' (an http URL takes none)");
        }
        if (!BASE_PATH.matcher(path).matches()) {
            throw bad(text, "bad base path '" + path + "'");
        }
        return new ClickHouseUrl(scheme.equals("https"), host, port, path.replaceAll("/+$", ""), Optional.empty());
    }

    /** The URL ClickHouse's HTTP interface answers at, as the client connects to it. */
    public String httpUrl() {
        return (secure ? "https" : "http") + "://" + host + ":" + port + path;
    }

    /**
     * The database to use: {@code explicit} ({@code --database} or its variable; null when not given), else the
     * one this URL names, else {@code fallback}. Both given and different is an error, not a silent choice.
     */
    public String database(String explicit, String fallback) {
        if (explicit == null || explicit.isBlank()) {
            return database.orElse(fallback);
        }
        if (database.isPresent() && !database.get().equals(explicit)) {
            throw new IllegalArgumentException(SETTING + " names database '" + database.get() + "' but --database is '"
                    + explicit + "': give one of them, or the same in both");
        }
        return explicit;
    }

    private static int port(String text, String port) {
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw bad(text, "bad port '" + port + "' (1..65535)");
        }
        return Integer.parseInt(port);
    }

    private static boolean ssl(String text, String query) {
        boolean ssl = false;
        for (String param : query.isEmpty() ? new String[0] : query.split("&", -1)) {
            String[] kv = param.split("=", 2);
            if (!kv[0].equalsIgnoreCase("ssl")) {
                throw bad(text, "unsupported parameter '" + kv[0] + "' (only ssl=true|false)");
            }
            String v = kv.length == 2 ? kv[1].toLowerCase(Locale.ROOT) : "";
            if (!v.equals("true") && !v.equals("false")) {
                throw bad(text, "ssl must be true or false, got '" + (kv.length == 2 ? kv[1] : "") + "'");
            }
            ssl = v.equals("true");
        }
        return ssl;
    }

    private static Optional<String> databaseIn(String text, String path) {
        String name = path.startsWith("/") ? path.substring(1) : path;
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (!DATABASE.matcher(name).matches()) {
            throw bad(text, "the path must be a database name ([A-Za-z_][A-Za-z0-9_]*), got '" + name + "'");
        }
        return Optional.of(name);
    }

    private static IllegalArgumentException bad(String text, String problem) {
        return new IllegalArgumentException(SETTING + " '" + (text == null ? "" : text) + "': " + problem
                + "; expected " + FORMS);
    }
}
