package io.tagpipe.dev;

import io.tagpipe.cli.Tagpipe;
import picocli.CommandLine;

/**
 * The developer's {@code tagpipe}: every production command plus {@code demo} and {@code bench},
 * which bring an in-process broker, ClickHouse servers, JMH and competitor appenders along. Never
 * in the production image; {@code ./tagpipe demo} and {@code ./tagpipe bench} run it.
 */
public final class TagpipeDev {
    private TagpipeDev() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The production command line with the developer commands added, also used by tests. */
    public static CommandLine commandLine() {
        return Tagpipe.commandLine()
                .addSubcommand("demo", new DemoCommand())
                .addSubcommand("bench", new BenchCommand());
    }
}
