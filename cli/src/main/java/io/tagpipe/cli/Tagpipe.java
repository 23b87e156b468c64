package io.tagpipe.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import io.tagpipe.cli.logging.LogSettings;
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
            StatusCommand.class,
        })
public final class Tagpipe {

    public static void main(String[] args) {
        try {
            LogSettings.from(System.getenv(), System.getProperties());
        } catch (IllegalArgumentException e) {
            // checked before any command runs: a typo in a logging setting is refused, not read as the default
            System.err.println("tagpipe: " + e.getMessage());
            System.exit(CommandLine.ExitCode.USAGE);
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Tagpipe()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** The project version and commit the build wrote into {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        static final String RESOURCE = "version.properties";

        @Override
        public String[] getVersion() throws IOException {
            try (InputStream in = Tagpipe.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IOException(RESOURCE + " is missing from the classpath: build tagpipe with Maven (./tagpipe build)");
                }
                Properties p = new Properties();
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                return new String[] {describe(p)};
            }
        }

        /** {@code tagpipe VERSION (commit COMMIT)}; a value the build did not fill in is an error, not a guess. */
        static String describe(Properties p) {
            String version = p.getProperty("version", "");
            String commit = p.getProperty("commit", "");
            if (version.isBlank() || version.contains("${") || commit.isBlank() || commit.contains("${")) {
                throw new IllegalStateException(RESOURCE + " was not filled in by the build: version='" + version
                        + "', commit='" + commit + "'");
            }
            return "tagpipe " + version + " (commit " + commit + ")";
        }
    }
}
