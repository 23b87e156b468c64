package io.tagpipe.bench.overload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DelayHistogramTest {
    /** The shape Micrometer's Prometheus registry writes (label order and other topics included). */
    private static String scrape(long atOne, long atFive, long total, long otherTopic) {
        return """
                # HELP tagpipe_sink_delay_seconds from a record's own time ...
                # TYPE tagpipe_sink_delay_seconds histogram
                tagpipe_sink_delay_seconds_bucket{topic="t.kept.critical",le="1.0"} %d
                tagpipe_sink_delay_seconds_bucket{topic="t.kept.critical",le="5.0"} %d
                tagpipe_sink_delay_seconds_bucket{topic="t.kept.critical",le="30.0"} %d
                tagpipe_sink_delay_seconds_bucket{topic="t.kept.critical",le="+Inf"} %d
                tagpipe_sink_delay_seconds_count{topic="t.kept.critical"} %d
                tagpipe_sink_delay_seconds_bucket{le="5.0",topic="t.kept.low"} %d
                tagpipe_sink_delay_seconds_bucket{le="+Inf",topic="t.kept.low"} %d
                """.formatted(atOne, atFive, total, total, total, otherTopic, otherTopic);
    }

    @Test
    void theRowsBetweenTwoScrapesGiveUpperBoundPercentilesAndTheShareWithinFiveSeconds() {
        DelayHistogram before = DelayHistogram.parse(scrape(10, 10, 10, 7), "t.kept.critical");
        // 100 more rows: 50 within 1 s, 40 more within 5 s, 10 more within 30 s
        DelayHistogram after = DelayHistogram.parse(scrape(60, 100, 110, 500), "t.kept.critical");
        DelayHistogram window = after.minus(before);
        assertThat(window.count()).isEqualTo(100);
        assertThat(window.atMostMs(50)).isEqualTo(1000);
        assertThat(window.atMostMs(90)).isEqualTo(5000);
        assertThat(window.atMostMs(99)).isEqualTo(30_000);
        assertThat(window.shareWithin(5)).isEqualTo(0.9);
    }

    @Test
    void aTopicWithoutRowsOrAnUnreachableSinkReadsAsNoFigure() {
        DelayHistogram none = DelayHistogram.parse(scrape(1, 2, 3, 4), "t.kept.high");
        assertThat(none.count()).isZero();
        assertThat(none.atMostMs(99)).isNaN();
        assertThat(none.shareWithin(5)).isNaN();
        assertThat(DelayHistogram.scrape("http://127.0.0.1:1/metrics", "t").count()).isZero();
    }
}
