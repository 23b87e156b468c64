package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class DockerIgnoreTest {

    @Test
    void doubleStarMatchesAtTheRootAndAtAnyDepth() {
        DockerIgnore ignore = DockerIgnore.of(List.of("**/target"));
        assertThat(ignore.excludes("target/x.jar")).isTrue();
        assertThat(ignore.excludes("cli/target/lib/kafka-clients.jar")).isTrue();
        assertThat(ignore.excludes("cli/src/main/java/Target.java")).isFalse();
        assertThat(ignore.excludes("cli/targets/x")).isFalse();
    }

    @Test
    void aPatternWithoutDoubleStarIsAnchoredAtTheRoot() {
        DockerIgnore ignore = DockerIgnore.of(List.of("# comment", ".tagpipe", "/deploy/compose/secret.txt"));
        assertThat(ignore.excludes(".tagpipe/kafka/meta.properties")).isTrue();
        assertThat(ignore.excludes("dev/.tagpipe/kafka/meta.properties")).isFalse();
        assertThat(ignore.excludes("deploy/compose/secret.txt")).isTrue();
        assertThat(ignore.excludes("deploy/compose/secret.txt.example")).isFalse();
    }

    @Test
    void starStaysWithinOneNameAndTheLastMatchingLineWins() {
        DockerIgnore ignore = DockerIgnore.of(List.of("*.md", "!README.md"));
        assertThat(ignore.excludes("NOTES.md")).isTrue();
        assertThat(ignore.excludes("README.md")).isFalse();
        assertThat(ignore.excludes("docs/NOTES.md")).isFalse();
    }
}
