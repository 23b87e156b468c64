package io.tagpipe.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The normalisation vectors the Python collector reads too: both languages must derive the same labels. */
class LabelVectorsTest {

    static Stream<Arguments> normalise() throws IOException {
        Path file = Path.of(System.getProperty("basedir", "."), "label-vectors.json");
        JsonNode vectors = new ObjectMapper().readTree(file.toFile());
        List<Arguments> out = new ArrayList<>();
        vectors.get("normalise").forEach(v -> out.add(Arguments.of(v.get("raw").asText(),
                v.get("label").isNull() ? null : v.get("label").asText())));
        assertThat(out).isNotEmpty();
        return out.stream();
    }

    @ParameterizedTest(name = "normalise({0}) = {1}")
    @MethodSource
    void normalise(String raw, String label) {
        assertThat(Labels.normalise(raw)).isEqualTo(label);
    }
}
