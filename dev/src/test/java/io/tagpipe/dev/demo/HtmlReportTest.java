package io.tagpipe.dev.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.tagpipe.cli.report.AppReport;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    private static AppReport app(String name) {
        return new AppReport(name, "main-class", "low", 10, 4, Map.of("sampled", 6L), 0, 4, 40, 7, 1, 100);
    }

    @Test
    void oneChartPerAppWithItsBarsAndTheMarker() {
        TreeMap<Long, long[]> a = new TreeMap<>(Map.of(0L, new long[] {50, 0}, 3L, new long[] {10, 40}));
        String html = HtmlReport.render("t", "s", "table", List.of(app("billing-api"), app("search-api")),
                Map.of("billing-api", a), 5_000, List.of(new HtmlReport.Marker(10, "billing-worker → low")));

        assertThat(Pattern.compile("<svg class=\"chart\"").matcher(html).results().count()).isEqualTo(2);
        assertThat(html).contains("data-app=\"billing-api\"", "data-app=\"search-api\"");
        assertThat(html).contains("<title>15 s: dropped 40</title>", "<title>0 s: kept 50</title>");
        assertThat(html).contains("billing-worker → low");
        assertThat(html).doesNotContain("http://", "https://", "<script");
    }

    @Test
    void textIsEscaped() {
        String html = HtmlReport.render("<b>", "a & b", "x<y", List.of(app("a\"b")), Map.of(), 5_000, List.of());

        assertThat(html).contains("&lt;b&gt;", "a &amp; b", "x&lt;y", "data-app=\"a&quot;b\"").doesNotContain("<b>");
    }
}
