package io.tagpipe.bench.overload;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sink's own produce→acknowledged delay of one lane, from its {@code /metrics}: the cumulative
 * buckets of {@code tagpipe_sink_delay_seconds} for a topic (upper bound in seconds → rows at or
 * below it). Two scrapes give the rows acknowledged in between ({@link #minus}); percentiles are
 * read as the upper bound of the bucket that reaches them, so they are "at most" figures. A row is
 * queryable once its INSERT is acknowledged, so this is produce→queryable without querying the
 * (starved) server.
 */
record DelayHistogram(TreeMap<Double, Long> cumulative) {
    static final String METRIC = "tagpipe_sink_delay_seconds_bucket";
    private static final Pattern LINE = Pattern.compile("^" + METRIC + "\\{([^}]*)} ([0-9.eE+-]+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static DelayHistogram empty() {
        return new DelayHistogram(new TreeMap<>());
    }

    /** The buckets of {@code topic} in a Prometheus text exposition (empty when the topic has none yet). */
    static DelayHistogram parse(String exposition, String topic) {
        TreeMap<Double, Long> out = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            if (topic.equals(labels.get("topic")) && labels.containsKey("le")) {
                String le = labels.get("le");
                out.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le),
                        (long) Double.parseDouble(m.group(2)));
            }
        }
        return new DelayHistogram(out);
    }

    /** Scrapes {@code metricsUrl}; an unreachable sink reads as empty (the caller notices a zero count). */
    static DelayHistogram scrape(String metricsUrl, String topic) {
        return parse(fetch(metricsUrl), topic);
    }

    /** The exposition at {@code metricsUrl}; empty when the sink does not answer. */
    static String fetch(String metricsUrl) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metricsUrl))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (Exception e) {
            return "";
        }
    }

    /** The value of the unlabelled sample {@code name} (e.g. {@code tagpipe_sink_insert_seconds_count}); NaN when absent. */
    static double value(String exposition, String name) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).strip());
            }
        }
        return Double.NaN;
    }

    /** Rows acknowledged since {@code earlier}. */
    DelayHistogram minus(DelayHistogram earlier) {
        TreeMap<Double, Long> out = new TreeMap<>();
        cumulative.forEach((le, n) -> out.put(le, n - earlier.cumulative.getOrDefault(le, 0L)));
        return new DelayHistogram(out);
    }

    long count() {
        return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
    }

    /** Share of rows acknowledged within {@code seconds} (a bucket bound), NaN without rows or bucket. */
    double shareWithin(double seconds) {
        Long n = cumulative.get(seconds);
        return count() == 0 || n == null ? Double.NaN : (double) n / count();
    }

    /** The upper bound (ms) of the first bucket holding {@code percentile} % of the rows; NaN without rows. */
    double atMostMs(double percentile) {
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        double need = Math.ceil(percentile / 100 * total);
        for (Map.Entry<Double, Long> e : cumulative.entrySet()) {
            if (e.getValue() >= need) {
                return e.getKey() * 1000;
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
