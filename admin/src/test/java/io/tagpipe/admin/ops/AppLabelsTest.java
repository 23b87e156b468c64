package io.tagpipe.admin.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class AppLabelsTest {

    @Test
    void firstAppsKeepTheirNameLaterOnesAreOther() {
        AppLabels labels = new AppLabels(2);
        assertThat(labels.of("billing")).isEqualTo("billing");
        assertThat(labels.of("search")).isEqualTo("search");
        assertThat(labels.of("mail")).isEqualTo(AppLabels.OTHER);
        assertThat(labels.of("billing")).as("a named app stays named").isEqualTo("billing");
        assertThat(labels.of("mail")).as("an app once 'other' stays 'other'").isEqualTo(AppLabels.OTHER);
    }

    @Test
    void zeroNamesEveryAppOther() {
        AppLabels labels = new AppLabels(0);
        assertThat(labels.of("billing")).isEqualTo(AppLabels.OTHER);
    }

    @Test
    void negativeBoundIsRefused() {
        assertThatThrownBy(() -> new AppLabels(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void manyThreadsNeverNameMoreThanTheBound() {
        AppLabels labels = new AppLabels(5);
        List<CompletableFuture<Set<String>>> workers = IntStream.range(0, 8).mapToObj(w -> CompletableFuture.supplyAsync(() -> {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                seen.add(labels.of("app-" + (i % 50)));
            }
            return seen;
        })).toList();
        Set<String> all = new HashSet<>();
        workers.forEach(f -> all.addAll(f.join()));
        assertThat(all).hasSize(6).contains(AppLabels.OTHER);
    }
}
