package io.tagpipe.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tagpipe.wire.Labels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The vectors the Python collector reads too: both languages must derive the same labels. */
class LabelVectorsTest {

    static JsonNode vectors() throws IOException {
        Path file = Path.of(System.getProperty("basedir", "."), "label-vectors.json");
        return new ObjectMapper().readTree(file.toFile());
    }

    static Stream<Arguments> normalise() throws IOException {
        List<Arguments> out = new ArrayList<>();
        vectors().get("normalise").forEach(v -> out.add(Arguments.of(v.get("raw").asText(),
                v.get("label").isNull() ? null : v.get("label").asText())));
        assertThat(out).isNotEmpty();
        return out.stream();
    }

    static Stream<Arguments> entry() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode v : vectors().get("entry")) {
            List<String> segments = new ArrayList<>();
            v.get("segments").forEach(s -> segments.add(s.asText()));
            out.add(Arguments.of(segments, v.get("name").asText(), v.get("label").asText()));
        }
        assertThat(out).isNotEmpty();
        return out.stream();
    }

    @ParameterizedTest(name = "normalise({0}) = {1}")
    @MethodSource
    void normalise(String raw, String label) {
        assertThat(Labels.normalise(raw)).isEqualTo(label);
    }

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @MethodSource
    void entry(List<String> segments, String name, String label) {
        assertThat(EntryLabels.label(segments, name)).isEqualTo(label);
    }
}
