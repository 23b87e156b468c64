package io.tagpipe.collector;

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

/** The entry-rule vectors of {@code wire/label-vectors.json}, which the Python collector reads too. */
class EntryLabelVectorsTest {

    static Stream<Arguments> entry() throws IOException {
        Path file = Path.of(System.getProperty("basedir", "."), "..", "wire", "label-vectors.json");
        JsonNode vectors = new ObjectMapper().readTree(file.toFile());
        List<Arguments> out = new ArrayList<>();
        for (JsonNode v : vectors.get("entry")) {
            List<String> segments = new ArrayList<>();
            v.get("segments").forEach(s -> segments.add(s.asText()));
            out.add(Arguments.of(segments, v.get("name").asText(), v.get("label").asText()));
        }
        assertThat(out).isNotEmpty();
        return out.stream();
    }

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @MethodSource
    void entry(List<String> segments, String name, String label) {
        assertThat(EntryLabels.label(segments, name)).isEqualTo(label);
    }
}
