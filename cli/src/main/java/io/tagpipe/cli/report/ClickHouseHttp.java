package io.tagpipe.cli.report;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Read-only SQL over ClickHouse's HTTP interface, {@code FORMAT JSONCompact} rows. Plain HTTP on
 * purpose: it is the one interface every server version answers the same way (18.16 included),
 * and a report needs nothing more than a few SELECTs.
 */
public final class ClickHouseHttp {
    private final URI url;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    public ClickHouseHttp(String url, String user, String password) {
        this.url = URI.create(url.endsWith("/") ? url : url + "/");
        String credentials = user + ":" + (password == null ? "" : password);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    public String url() {
        return url.toString();
    }

    /** The rows of a SELECT, each an array of column values (64-bit integers arrive as strings). */
    public List<JsonNode> rows(String select) {
        JsonNode body;
        try {
            body = json.readTree(text(select + " FORMAT JSONCompact"));
        } catch (IOException e) {
            throw new ReportException("ClickHouse answered something that is not JSON: " + e.getMessage());
        }
        List<JsonNode> out = new ArrayList<>();
        body.path("data").forEach(out::add);
        return out;
    }

    /** Runs one statement; returns the body. Errors carry ClickHouse's own message. */
    public String text(String sql) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() != 200) {
                throw new ReportException("ClickHouse at " + url + " refused the query (HTTP " + r.statusCode() + "): "
                        + firstLine(r.body()));
            }
            return r.body();
        } catch (IOException e) {
            throw new ReportException("ClickHouse at " + url + " is unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReportException("interrupted while querying ClickHouse");
        }
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
