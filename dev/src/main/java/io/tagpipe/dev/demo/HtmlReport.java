package io.tagpipe.dev.demo;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.tagpipe.cli.report.AppReport;

/**
 * A self-contained HTML page (inline SVG, no script, no network): the per-app report table and,
 * per app, a stacked bar chart of kept vs dropped records per second in each time bucket, with
 * the policy change marked. Pure: text in, text out.
 */
final class HtmlReport {
    private static final int W = 720;
    private static final int H = 200;
    private static final int LEFT = 56;
    private static final int BOTTOM = 28;
    private static final int TOP = 12;

    /** A vertical marker on every chart (labels stacked in list order): seconds after the origin, and what happened. */
    record Marker(double atSeconds, String label) { }

    static String render(String title, String summary, String tableText, List<AppReport> reports,
                         Map<String, TreeMap<Long, long[]>> timeline, long bucketMillis, List<Marker> markers) {
        StringBuilder b = new StringBuilder(16_384);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}"
                        + "pre{background:#f6f6f6;padding:12px;overflow-x:auto;font-size:12px}"
                        + "h2{margin:28px 0 4px;font-size:16px}.legend span{display:inline-block;width:12px;height:12px;"
                        + "margin:0 4px 0 12px;vertical-align:middle}.meta{color:#555}</style></head><body>\n")
                .append("<h1>").append(esc(title)).append("</h1>\n<p class=\"meta\">").append(esc(summary)).append("</p>\n")
                .append("<pre>").append(esc(tableText)).append("</pre>\n")
                .append("<p class=\"legend\">records per second, by when the processor reported them:"
                        + "<span style=\"background:#2e7d32\"></span>kept<span style=\"background:#c62828\"></span>dropped"
                        + " (sampled, min_level, rate_limit …)</p>\n");
        long lastBucket = timeline.values().stream().filter(m -> !m.isEmpty()).mapToLong(TreeMap::lastKey).max().orElse(0);
        for (AppReport r : reports) {
            b.append("<h2>").append(esc(r.app())).append("</h2>\n<p class=\"meta\">").append(esc(r.importance()))
                    .append(", label from ").append(esc(r.appSource())).append(": received ").append(r.received())
                    .append(", kept ").append(r.kept()).append(", dropped ").append(esc(r.droppedByReason())).append("</p>\n");
            chart(b, r.app(), timeline.getOrDefault(r.app(), new TreeMap<>()), lastBucket, bucketMillis, markers);
        }
        return b.append("</body></html>\n").toString();
    }

    private static void chart(StringBuilder b, String app, TreeMap<Long, long[]> buckets, long lastBucket,
                              long bucketMillis, List<Marker> markers) {
        double secondsPerBucket = bucketMillis / 1000.0;
        double max = niceCeiling(Math.max(1, buckets.values().stream()
                .mapToDouble(kd -> (kd[0] + kd[1]) / secondsPerBucket).max().orElse(1)));
        int plotW = W - LEFT - 8;
        int plotH = H - BOTTOM - TOP;
        double barW = (double) plotW / (lastBucket + 1);
        b.append("<svg class=\"chart\" data-app=\"").append(esc(app)).append("\" width=\"").append(W).append("\" height=\"")
                .append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" role=\"img\">\n");
        for (int i = 0; i <= 4; i++) {
            double v = max * i / 4;
            double y = TOP + plotH - plotH * i / 4.0;
            b.append(fmt("<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>", LEFT, W - 8, y, y))
                    .append(fmt("<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.0f/s</text>%n", LEFT - 4, y + 3, v));
        }
        buckets.forEach((bucket, kd) -> {
            double x = LEFT + bucket * barW;
            double keptH = plotH * (kd[0] / secondsPerBucket) / max;
            double dropH = plotH * (kd[1] / secondsPerBucket) / max;
            double base = TOP + plotH;
            b.append(fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#2e7d32\"><title>%.0f s: kept %d</title></rect>",
                    x, base - keptH, Math.max(1, barW - 1), keptH, bucket * secondsPerBucket, kd[0]));
            b.append(fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#c62828\"><title>%.0f s: dropped %d</title></rect>%n",
                    x, base - keptH - dropH, Math.max(1, barW - 1), dropH, bucket * secondsPerBucket, kd[1]));
        });
        for (long t = 0; t <= lastBucket; t += Math.max(1, (lastBucket + 1) / 8)) {
            b.append(fmt("<text x=\"%.1f\" y=\"%d\" font-size=\"10\">%.0f s</text>", LEFT + t * barW, H - 10, t * secondsPerBucket));
        }
        for (int i = 0; i < markers.size(); i++) {
            Marker marker = markers.get(i);
            double x = LEFT + marker.atSeconds() / secondsPerBucket * barW;
            b.append(fmt("%n<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#1565c0\" stroke-dasharray=\"4 3\"/>", x, x, TOP, TOP + plotH))
                    .append(fmt("<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#1565c0\">%s</text>", x + 4, TOP + 10 + 11 * i,
                            esc(marker.label())));
        }
        b.append("\n</svg>\n");
    }

    private static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
