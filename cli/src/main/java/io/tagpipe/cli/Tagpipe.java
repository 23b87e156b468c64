package io.tagpipe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tagpipe} command line: wires subcommands, nothing else. */
@Command(name = "tagpipe",
        mixinStandardHelpOptions = true,
        versionProvider = Tagpipe.Version.class,
        description = "Per-application logs and metrics into ClickHouse: collector, processor, sink.",
        subcommands = {
            CommandLine.HelpCommand.class,
            ProcessorCommand.class,
            PolicyCommand.class,
            TopicsCommand.class,
            ReportCommand.class,
            SinkCommand.class,
            RetentionCommand.class,
            PurgeCommand.class,
            ReplayCommand.class,
        })
public final class Tagpipe {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Tagpipe()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Tagpipe.class.getPackage().getImplementationVersion();
            return new String[] {"tagpipe " + (v == null ? "development build" : v)};
        }
    }
}
