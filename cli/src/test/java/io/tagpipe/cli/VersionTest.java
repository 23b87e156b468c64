package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VersionTest {

    @Test
    void versionFlagPrintsTheProjectVersionAndCommitTheBuildWasGiven() {
        String version = System.getProperty("tagpipe.build.version");
        String commit = System.getProperty("tagpipe.build.commit");
        assertThat(version).as("surefire passes the pom's project.version").isNotBlank();
        assertThat(commit).as("surefire passes the pom's tagpipe.commit").isNotBlank();

        StringWriter out = new StringWriter();
        CommandLine cli = Tagpipe.commandLine();
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute("--version");

        assertThat(exit).isZero();
        assertThat(out.toString().strip()).isEqualTo("tagpipe " + version + " (commit " + commit + ")");
    }

    @Test
    void describesVersionAndCommit() {
        Properties p = new Properties();
        p.setProperty("version", "1.2.3");
        p.setProperty("commit", "0aea4eb1c2d3");
        assertThat(Tagpipe.Version.describe(p)).isEqualTo("tagpipe 1.2.3 (commit 0aea4eb1c2d3)");
    }

    @Test
    void refusesAVersionFileTheBuildDidNotFilter() {
        Properties p = new Properties();
        p.setProperty("version", "${project.version}");
        p.setProperty("commit", "abc");
        assertThatThrownBy(() -> Tagpipe.Version.describe(p))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not filled in by the build");
    }

    @Test
    void refusesAVersionFileWithoutCommit() {
        Properties p = new Properties();
        p.setProperty("version", "1.2.3");
        assertThatThrownBy(() -> Tagpipe.Version.describe(p))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("commit=''");
    }
}
