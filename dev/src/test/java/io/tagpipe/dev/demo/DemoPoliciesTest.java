package io.tagpipe.dev.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tagpipe.bench.ProcessorStage;
import io.tagpipe.wire.policy.Policy;
import org.junit.jupiter.api.Test;

class DemoPoliciesTest {
    @Test
    void theBenchRunsTheProcessorUnderTheDemosPolicies() throws Exception {
        Map<String, Map<String, Object>> yaml = new ObjectMapper(new YAMLFactory())
                .readValue(DemoPolicies.initialYaml(), new TypeReference<LinkedHashMap<String, Map<String, Object>>>() { });
        Map<String, Policy> demo = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> e : yaml.entrySet()) {
            demo.put(e.getKey(), Policy.of(e.getValue()));
        }
        assertThat(ProcessorStage.demoPolicies()).isEqualTo(demo);
    }
}
