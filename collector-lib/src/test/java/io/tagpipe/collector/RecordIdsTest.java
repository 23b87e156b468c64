package io.tagpipe.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class RecordIdsTest {
    @Test
    void idsAreVersion7AndSortByTime() {
        String earlier = RecordIds.next(1_000_000L);
        String later = RecordIds.next(1_000_001L);
        assertThat(UUID.fromString(earlier).version()).isEqualTo(7);
        assertThat(UUID.fromString(earlier).variant()).isEqualTo(2);
        assertThat(earlier).isLessThan(later);
        assertThat(UUID.fromString(earlier).getMostSignificantBits() >>> 16).isEqualTo(1_000_000L);
    }

    @Test
    void idsInOneMillisecondAreUnique() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(RecordIds.next(42));
        }
        assertThat(ids).hasSize(100_000);
    }
}
