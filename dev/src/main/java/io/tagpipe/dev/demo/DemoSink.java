package io.tagpipe.dev.demo;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;

import io.tagpipe.sink.Sink;
import io.tagpipe.sink.SinkConfig;

/** The sink, in the demo's JVM, with batches small enough in time for a short run to show rows early. */
final class DemoSink {
    private DemoSink() {
    }

    static AutoCloseable start(String bootstrap, String clickhouseUrl, DemoSettings s, PrintWriter out) throws Exception {
        SinkConfig config = SinkConfig.builder().bootstrapServers(bootstrap).clickhouseUrl(clickhouseUrl)
                .clickhouseUser(s.clickhouseUser()).clickhousePassword(s.clickhousePassword()).database(s.database())
                .groupId("tagpipe-demo-sink").batchMaxWait(Duration.ofMillis(500)).build();
        Sink sink = Sink.start(config, Clock.systemUTC());
        sink.startupSummary().forEach(line -> out.println("  " + line));
        return sink;
    }
}
