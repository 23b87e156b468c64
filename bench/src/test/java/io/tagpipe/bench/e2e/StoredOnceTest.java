package io.tagpipe.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class StoredOnceTest {
    private static final Map<String, Long> DELIVERED = Map.of("producer-0", 1000L, "producer-1", 500L);

    @Test
    void everyRecordOnceIsExact() {
        StoredOnce s = StoredOnce.check(DELIVERED, StoredOnce.parse("producer-0\t1000\t1000\nproducer-1\t500\t500\n"));
        assertThat(s.exact()).isTrue();
        assertThat(s.summary()).contains("1500 records delivered stored exactly once");
    }

    @Test
    void aMissingRecordIsNotHiddenByADuplicateOfAnother() {
        // count() alone would say 1000 = 1000
        StoredOnce s = StoredOnce.check(DELIVERED, Map.of("producer-0", new StoredOnce.Stored(1000, 999),
                "producer-1", new StoredOnce.Stored(500, 500)));
        assertThat(s.problems()).containsExactly("producer-0: 1 duplicate rows", "producer-0: 1 of 1000 records missing");
    }

    @Test
    void moreRowsThanRecordsIsNotEqualityEither() {
        // count() >= expected would pass this
        StoredOnce s = StoredOnce.check(DELIVERED, Map.of("producer-0", new StoredOnce.Stored(1003, 1003),
                "producer-1", new StoredOnce.Stored(500, 500)));
        assertThat(s.exact()).isFalse();
        assertThat(s.problems()).containsExactly("producer-0: 3 more ids than the 1000 records delivered");
    }

    @Test
    void anAppWithNothingStoredAndAnUnknownAppAreBothNamed() {
        StoredOnce s = StoredOnce.check(DELIVERED, Map.of("producer-0", new StoredOnce.Stored(1000, 1000),
                "stranger", new StoredOnce.Stored(2, 2)));
        assertThat(s.problems()).containsExactly("producer-1: 500 of 500 records missing", "stranger: 2 rows of an app no producer ran");
        assertThat(s.summary()).startsWith("NOT stored exactly once (1002 rows for 1500 records delivered)");
    }

    @Test
    void aMalformedAnswerIsAClearError() {
        assertThatThrownBy(() -> StoredOnce.parse("producer-0\t1000\n")).hasMessageContaining("expected app, rows, distinct ids");
    }
}
