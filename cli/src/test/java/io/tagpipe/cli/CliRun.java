package io.tagpipe.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** Runs the {@code tagpipe} command line in this JVM, as a user would call it. */
final class CliRun {
    private CliRun() {
    }

    /** The exit code, a line break, then everything printed to out and err, in order. */
    static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = Tagpipe.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int rc = cli.execute(args);
        return rc + "\n" + out;
    }
}
