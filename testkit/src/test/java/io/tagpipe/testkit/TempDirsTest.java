package io.tagpipe.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempDirsTest {
    @TempDir
    Path tmp;

    @Test
    void deletesATreeOfDirectoriesAndFiles() throws Exception {
        Path root = tmp.resolve("bench-work");
        Files.createDirectories(root.resolve("kafka-logs/topic-0"));
        Files.writeString(root.resolve("kafka-logs/topic-0/00000.log"), "segment");
        Files.writeString(root.resolve("server.properties"), "x=1");

        assertThat(TempDirs.deleteTree(root)).isTrue();
        assertThat(root).doesNotExist();
        assertThat(tmp).exists();
    }

    @Test
    void aMissingDirectoryIsAlreadyGone() {
        assertThat(TempDirs.deleteTree(tmp.resolve("never-made"))).isTrue();
    }
}
