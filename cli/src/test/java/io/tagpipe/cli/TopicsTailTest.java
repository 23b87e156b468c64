package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tagpipe.admin.topics.TopicTail;
import org.junit.jupiter.api.Test;

/** How {@code tagpipe topics tail} prints a record, and its argument checks (no broker needed). */
class TopicsTailTest {
    @Test
    void aLineShowsTimePositionKeyHeadersAndTheValueCutOnOneLine() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("tagpipe.dlq.reason", "malformed_json: Unexpected character");
        headers.put("tagpipe.dlq.source.offset", "42");
        var line = new TopicTail.Line(0, 3, 7, "billing", headers, "{not json\nat all and more text", 27);

        String s = TopicsCommand.Tail.format(line, 12);

        assertThat(s).isEqualTo("1970-01-01T00:00:00Z  p3/7  key=billing  tagpipe.dlq.reason=malformed_json: Unexpected character"
                + "  tagpipe.dlq.source.offset=42  {not json at… (27 bytes)");
        assertThat(TopicsCommand.Tail.format(new TopicTail.Line(0, 0, 0, null, Map.of(), null, 0), 10))
                .endsWith("key=null  (null)");
    }

    @Test
    void aRecordCountBelowOneIsRefusedWithExitCode2() {
        StringWriter err = new StringWriter();
        int code = Tagpipe.commandLine().setErr(new PrintWriter(err)).execute("topics", "tail", "-n", "0");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--records");
    }
}
