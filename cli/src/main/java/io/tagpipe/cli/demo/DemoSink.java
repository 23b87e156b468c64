package io.tagpipe.cli.demo;

import java.io.PrintWriter;

/** Placeholder until the sink lands on main. */
final class DemoSink {
    private DemoSink() {
    }

    static AutoCloseable start(String bootstrap, String clickhouseUrl, DemoSettings s, PrintWriter out) {
        out.println("  (sink not available in this build)");
        return () -> { };
    }
}
