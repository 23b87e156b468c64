package io.tagpipe.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ReportFormatTest {
    private final AppReport indexer = new AppReport("search-indexer", "main-class", "low", 1000, 100,
            Map.of("rate_limit", 150L, "min_level", 750L), 0, 100, 100.0, 7, 1, 4096);
    private final AppReport worker = new AppReport("billing-worker", "main-class", "low", 500, 300,
            Map.of("sampled", 100L, "shed", 60L), 40, 340, 480.5, 7, 2, 2048);

    @Test
    void tableHasAHeaderAndOneAlignedLinePerApp() {
        List<String> lines = ReportFormat.TABLE.render(List.of(indexer, worker)).lines().toList();

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("app").contains("received", "dropped_by_reason", "bytes_on_disk");
        assertThat(lines.get(1)).startsWith("search-indexer").contains("min_level=750, rate_limit=150");
        assertThat(lines.stream().map(String::length).distinct()).hasSize(1);
    }

    @Test
    void csvQuotesCellsWithCommasSoEveryRowHasTheHeadersColumnCount() {
        List<String> lines = ReportFormat.CSV.render(List.of(indexer, worker)).lines().toList();

        assertThat(lines.get(0).split(",")).hasSize(ReportFormat.COLUMNS.size());
        assertThat(lines.get(1)).contains("\"min_level=750, rate_limit=150\"");
        assertThat(lines.get(2)).isEqualTo("billing-worker,main-class,low,500,300,60,40,160,\"sampled=100, shed=60\",340,481,7,2,2048");
    }

    @Test
    void csvDoublesQuotes() {
        assertThat(ReportFormat.csvCell("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(ReportFormat.csvCell("plain")).isEqualTo("plain");
    }

    @Test
    void jsonCarriesEveryFieldWithNumbersAsNumbers() throws Exception {
        JsonNode arr = new ObjectMapper().readTree(ReportFormat.JSON.render(List.of(indexer, worker)));

        assertThat(arr).hasSize(2);
        JsonNode first = arr.get(0);
        assertThat(first.get("app").asText()).isEqualTo("search-indexer");
        assertThat(first.get("received").isNumber()).isTrue();
        assertThat(first.get("kept").asLong() + first.get("dropped").asLong()).isEqualTo(first.get("received").asLong());
        assertThat(first.get("dropped_by_reason").get("rate_limit").asLong()).isEqualTo(150);
        assertThat(arr.get(1).get("reweighted").asDouble()).isEqualTo(480.5);
        assertThat(first.fieldNames()).toIterable().containsExactlyElementsOf(ReportFormat.COLUMNS);
        JsonNode second = arr.get(1);
        assertThat(second.get("kept").asLong() + second.get("dropped").asLong() + second.get("replayed").asLong())
                .as("kept + dropped (shed net of replayed) + replayed = received").isEqualTo(second.get("received").asLong());
        assertThat(second.get("shed_net").asLong()).isEqualTo(second.get("dropped_by_reason").get("shed").asLong());
    }

    @Test
    void emptyReportSaysSoInTheTableAndIsAnEmptyArrayInJson() throws Exception {
        assertThat(ReportFormat.TABLE.render(List.of())).contains("no records");
        assertThat(new ObjectMapper().readTree(ReportFormat.JSON.render(List.of()))).isEmpty();
        assertThat(ReportFormat.CSV.render(List.of()).lines()).hasSize(1);
    }
}
