package io.tagpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;

class PolicyFileTest {
    @Test
    void manyPoliciesFromYamlAreAllValidatedAndErrorsNameTheApp() throws Exception {
        Map<String, Policy> ok = PolicyFile.read("'*': {importance: normal}\nbilling-api: {importance: high, sample_rate: 0.5}\n", true);
        assertThat(ok).containsOnlyKeys("*", "billing-api");
        assertThat(ok.get("billing-api").sampleRate()).isEqualTo(0.5);

        assertThatThrownBy(() -> PolicyFile.read("{\"a\": {\"importance\": \"x\"}, \"Bad App\": {}, \"c\": {\"sample_rate\": 2}}", false))
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> assertThat(e.errors()).hasSize(3)
                        .anySatisfy(s -> assertThat(s).startsWith("a: importance"))
                        .anySatisfy(s -> assertThat(s).contains("'Bad App' is not a normalised app label (did you mean 'bad-app'?)"))
                        .anySatisfy(s -> assertThat(s).startsWith("c: sample_rate")));
    }
}
