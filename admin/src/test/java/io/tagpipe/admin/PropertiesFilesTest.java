package io.tagpipe.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropertiesFilesTest {
    @Test
    void readsUtf8SoNonAsciiPasswordsArriveAsWritten(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("kafka.properties");
        Files.writeString(f, "# comment\nsecurity.protocol=SASL_SSL\nssl.truststore.password=pässwörd\n", StandardCharsets.UTF_8);
        assertThat(PropertiesFiles.toMap(PropertiesFiles.load(f)))
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("security.protocol", "SASL_SSL", "ssl.truststore.password", "pässwörd"));
    }

    @Test
    void aMissingOrNonUtf8FileIsRefusedWithItsName(@TempDir Path dir) throws Exception {
        Path latin1 = dir.resolve("latin1.properties");
        Files.write(latin1, "ssl.truststore.password=p\u00e4ss\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> PropertiesFiles.load(latin1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read properties file " + latin1);
        assertThatThrownBy(() -> PropertiesFiles.load(dir.resolve("missing.properties")))
                .hasMessageContaining("missing.properties");
    }
}
