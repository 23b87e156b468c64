package io.tagpipe.sink.pressure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The probe's reading of system-table answers, with the answers scripted (no ClickHouse). */
class HeadroomProbeTest {
    /** An answer that makes the query time out. */
    private static final List<String[]> TIMEOUT = new ArrayList<>();

    /** Answers by the first query fragment that matches; records what was asked. */
    private static final class Scripted implements HeadroomProbe.Query {
        final Map<String, List<String[]>> answers;
        final List<String> asked = new ArrayList<>();

        Scripted(Map<String, List<String[]>> answers) {
            this.answers = answers;
        }

        @Override
        public List<String[]> rows(String sql) throws Exception {
            asked.add(sql);
            for (var e : answers.entrySet()) {
                if (sql.contains(e.getKey())) {
                    if (e.getValue() == TIMEOUT) {
                        throw new java.net.SocketTimeoutException("Read timed out");
                    }
                    return e.getValue();
                }
            }
            throw new AssertionError("unexpected query " + sql);
        }
    }

    private static String[] row(String... f) {
        return f;
    }

    @Test
    void partsAgainstTheServerSettingMergesAndTheLowestFreeDisk() {
        Scripted q = new Scripted(Map.of(
                "FROM system.tables", List.of(row("disks"), row("merge_tree_settings")),
                "FROM system.parts", List.<String[]>of(row("logs", "(30,20261202)", "240")),
                "FROM system.merge_tree_settings", List.<String[]>of(row("300")),
                "FROM system.merges", List.<String[]>of(row("3")),
                "FROM system.disks", List.of(row("50", "100"), row("10", "100"), row("0", "0"))));
        HeadroomProbe.Probed p = new HeadroomProbe(q, "it's").probe();
        assertThat(p.error()).isEmpty();
        assertThat(p.partsRatio().getAsDouble()).isEqualTo(0.8);
        assertThat(p.partsWhere()).isEqualTo("logs (30,20261202) (240/300)");
        assertThat(p.merges().getAsInt()).isEqualTo(3);
        assertThat(p.freeDiskRatio().getAsDouble()).isEqualTo(0.1);
        assertThat(q.asked).anySatisfy(s -> assertThat(s).contains("database = 'it\\'s'"));
    }

    @Test
    void aServerWithoutDisksOrSettingsTablesHasUnknownDiskAndTheDefaultDelay() {
        Scripted q = new Scripted(Map.of(
                "FROM system.tables", List.of(),
                "FROM system.parts", List.<String[]>of(row("metrics", "(30,20261202)", "75")),
                "FROM system.merges", List.<String[]>of(row("0"))));
        HeadroomProbe.Probed p = new HeadroomProbe(q, "tagpipe").probe();
        assertThat(p.error()).isEmpty();
        assertThat(p.partsRatio().getAsDouble()).isEqualTo(75.0 / HeadroomProbe.DEFAULT_PARTS_TO_DELAY_INSERT);
        assertThat(p.freeDiskRatio()).isEmpty();
        assertThat(q.asked).noneMatch(s -> s.contains("system.disks") || s.contains("merge_tree_settings WHERE"));
    }

    @Test
    void noPartsYetIsRatioZero() {
        Scripted q = new Scripted(Map.of("FROM system.tables", List.of(), "FROM system.parts", new ArrayList<>(),
                "FROM system.merges", List.<String[]>of(row("0"))));
        assertThat(new HeadroomProbe(q, "tagpipe").probe().partsRatio().getAsDouble()).isZero();
    }

    @Test
    void aFailedQueryBecomesTheProbeErrorNotAnException() {
        Scripted q = new Scripted(Map.of("FROM system.tables", List.of(), "FROM system.parts", TIMEOUT));
        HeadroomProbe.Probed p = new HeadroomProbe(q, "tagpipe").probe();
        assertThat(p.error()).isEqualTo("Read timed out");
        assertThat(p.partsRatio()).isEmpty();
        assertThat(p.merges()).isEmpty();
    }
}
