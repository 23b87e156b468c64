package io.tagpipe.admin.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;
import io.tagpipe.wire.policy.Shed;
import org.junit.jupiter.api.Test;

class PolicyFlagsTest {

    private static Policy withShed(String importance, String shed) throws InvalidPolicyException {
        return PolicyFlags.toPolicy(importance, null, null, null, null, null, null, null, shed);
    }

    @Test
    void shedFlagSetsTheFieldExplicitly() throws Exception {
        Policy p = withShed("critical", "Early");
        assertThat(p.shed()).isEqualTo(Shed.EARLY);
        assertThat(p.spec()).containsEntry(Policy.SHED, "early");
    }

    @Test
    void withoutTheShedFlagTheImportanceDefaultApplies_andIsNotWritten() throws Exception {
        Policy p = withShed("low", null);
        assertThat(p.shed()).isEqualTo(Shed.EARLY);
        assertThat(p.spec()).doesNotContainKey(Policy.SHED);
        assertThat(withShed("high", null).shed()).isEqualTo(Shed.NEVER);
    }

    @Test
    void aBadShedValueIsReportedWithTheOtherErrors() {
        assertThatThrownBy(() -> PolicyFlags.toPolicy("normal", "2", null, null, null, null, null, null, "always"))
                .isInstanceOf(InvalidPolicyException.class)
                .satisfies(e -> assertThat(((InvalidPolicyException) e).errors()).containsExactlyInAnyOrder(
                        "sample_rate: must be a number from 0 to 1, got 2.0",
                        "shed: 'always' is not one of never, last, early"));
    }
}
