package io.tagpipe.dev;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.stream.Stream;

import picocli.CommandLine;

/** One {@code tagpipe demo ARGS} in this JVM, as the demo ITs run it: its exit code and everything it printed. */
record DemoRun(int exitCode, String output) {
    static DemoRun of(String... args) {
        System.setProperty("tagpipe.home", System.getProperty("tagpipe.repo.dir", Path.of("..").toAbsolutePath().toString()));
        StringWriter out = new StringWriter();
        CommandLine cli = TagpipeDev.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int rc = cli.execute(Stream.concat(Stream.of("demo"), Stream.of(args)).toArray(String[]::new));
        return new DemoRun(rc, out.toString());
    }
}
