package io.tagpipe.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;

class MarkerNamesTest {
    /** A marker as SLF4J and Log4j2 have them: a name and references (which may form a cycle). */
    static class M {
        final String name;
        final List<M> refs = new ArrayList<>();

        M(String name, M... refs) {
            this.name = name;
            this.refs.addAll(List.of(refs));
        }

        Iterator<M> refs() {
            return refs.iterator();
        }
    }

    private static String join(List<M> roots) {
        return MarkerNames.join(roots, m -> m.name, M::refs);
    }

    @Test
    void namesDepthFirstEachOnce() {
        M audit = new M("AUDIT");
        M security = new M("SECURITY", audit, new M("PII", audit));
        assertThat(join(List.of(security, new M("BILLING", audit)))).isEqualTo("SECURITY,AUDIT,PII,BILLING");
    }

    @Test
    void noMarkerIsNull() {
        assertThat(join(List.of())).isNull();
        assertThat(MarkerNames.join(null, (M m) -> m.name, M::refs)).isNull();
    }

    @Test
    void aReferenceCycleEnds() {
        M a = new M("A");
        M b = new M("B", a);
        a.refs.add(b);
        assertThat(join(List.of(a))).isEqualTo("A,B");
    }

    @Test
    void manyMarkersAreCapped() {
        M root = new M("ROOT");
        for (int i = 0; i < 10_000; i++) {
            root.refs.add(new M("R" + i));
        }
        assertThat(join(List.of(root)).split(",")).hasSize(MarkerNames.MAX_NAMES);
        M same = new M("SAME");
        M repeats = new M("REPEATS");
        for (int i = 0; i < 1_000_000; i++) {
            repeats.refs.add(same);
        }
        assertThat(join(List.of(repeats))).isEqualTo("REPEATS,SAME");
    }

    @Test
    void aThrowingMarkerKeepsTheNamesFoundSoFar() {
        M bad = new M("BAD") {
            @Override
            Iterator<M> refs() {
                throw new IllegalStateException("hostile");
            }
        };
        assertThat(join(List.of(new M("OK"), bad, new M("LATER")))).isEqualTo("OK,BAD");
    }
}
