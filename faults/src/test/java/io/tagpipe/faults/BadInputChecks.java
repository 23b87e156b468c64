package io.tagpipe.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import io.tagpipe.testkit.ClickHouse;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Topics;
import io.tagpipe.wire.policy.InvalidPolicyException;
import io.tagpipe.wire.policy.Policy;

/**
 * Bad input through the whole pipeline (processor and sink as child JVMs), one run for every case,
 * good records sent between the bad ones; each test names one case and asserts its outcome.
 * Every run-wide test also proves the pipeline kept running and the good records were unaffected.
 * Run once per ClickHouse: {@link BadInputIT} (18.16) and {@link BadInputCurrentIT} (26.7 engine).
 */
@ExtendWith(RealServices.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BadInputChecks {
    static final String HOSTILE = "it's \"quoted\" \\ back\\slash; DROP TABLE logs; --\nnew line\r\t"
            + "x".repeat(440) + "'); SELECT 1 --";
    private Pipeline pipeline;
    private BadInputRun run;
    private Path dir;

    /** Called once by the concrete class's {@code @BeforeAll} with its ClickHouse. */
    void runEveryCaseThroughThePipeline(KafkaBroker kafka, ClickHouse ch) throws Exception {
        dir = Files.createTempDirectory("tagpipe-badinput");
        pipeline = Pipeline.create(kafka, ch, dir, BadInputRun.policies());
        run = new BadInputRun(kafka, ch, pipeline);
        run.execute();
    }

    @AfterAll
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void pipelineKeptRunningAndGoodRecordsAroundTheBadOnesAreStoredExactly() {
        assertThat(pipeline.processor(0).isAlive()).as(pipeline.processor(0).output()).isTrue();
        assertThat(pipeline.sink().isAlive()).as(pipeline.sink().output()).isTrue();
        Verdict v = run.verdict();
        assertThat(v.exact()).as("%s", v).isTrue();
        assertThat(run.storedGoodRecords()).isEqualTo(run.goodSent());
    }

    @Test
    void statsCountEveryRecordIncludingTheUnreadableOnes() {
        assertThat(run.statsPerApp()).isEqualTo(run.expectedStatsPerApp());
        assertThat(run.unreadableCounted()).isEqualTo(run.unreadableSent());
    }

    @Test
    void dlqHoldsExactlyTheBadRecordsEachWithItsReason() {
        assertThat(run.dlqReasons()).containsOnlyKeys(BadInputRun.EXPECTED_DLQ.keySet());
        BadInputRun.EXPECTED_DLQ.forEach((key, reason) ->
                assertThat(run.dlqReasons().get(key)).as(key).hasSize(1).first().asString().startsWith(reason));
    }

    @Test
    void malformedJsonGoesToTheDlq() {
        assertDlq("malformed-json", "malformed_json");
    }

    @Test
    void validJsonMissingAppTsOrKindGoesToTheDlqNamingTheField() {
        assertDlq("missing-app", "missing_field");
        assertThat(run.dlqReasons().get("missing-app").get(0)).contains("app");
        assertThat(run.dlqReasons().get("missing-ts").get(0)).startsWith("missing_field").contains("ts");
        assertThat(run.dlqReasons().get("missing-kind").get(0)).startsWith("missing_field").contains("kind");
    }

    @Test
    void twoMegabyteMessageGoesToTheDlqAsTooLarge() {
        assertDlq("two-megabytes", "too_large");
        // cut to its first 512 KiB (a whole 2 MB value could exceed the DLQ's limits), original size in a header
        assertThat(run.dlqValueSize("two-megabytes")).isEqualTo(512 * 1024);
        assertThat(run.dlqHeader("two-megabytes", Topics.DLQ_ORIGINAL_SIZE_HEADER)).isEqualTo(String.valueOf(run.bigRecordSize()));
    }

    @Test
    void invalidUtf8GoesToTheDlq() {
        assertDlq("invalid-utf8", "malformed_json");
    }

    @Test
    void emptyMessageGoesToTheDlq() {
        assertDlq("empty", "empty");
    }

    @Test
    void hostileLabelIsStoredVerbatimAndNeverReachesSqlUnescaped() {
        assertThat(run.storedAttr(BadInputRun.HOSTILE_ID, "label")).isEqualTo(HOSTILE);
        assertThat(run.storedAttr(BadInputRun.HOSTILE_ID, "k" + HOSTILE.substring(0, 60))).isEqualTo("v");
        assertThat(run.storedMessage(BadInputRun.HOSTILE_ID)).isEqualTo(HOSTILE);
        assertThat(run.tableCount()).as("no table dropped").isEqualTo(3);
    }

    @Test
    void tenThousandDistinctLabelsInAMinuteAreStoredWithoutPartitionOrStatsBlowUp() {
        assertThat(run.storedForAppsStartingWith("tenant-")).isEqualTo(BadInputRun.TENANTS);
        assertThat(run.statsForAppsStartingWith("tenant-")).isEqualTo(BadInputRun.TENANTS);
        // partitions follow (retention tier, day), never the label: here 3 tiers, today ± the clamp days
        assertThat(run.partitions("logs")).isLessThanOrEqualTo(3 * run.retentionTiers());
        // at most one stats row per label, reason and emission (5 s): no per-label growth beyond that
        assertThat(run.statsRowsForAppsStartingWith("tenant-")).isLessThanOrEqualTo(2L * BadInputRun.TENANTS);
    }

    @Test
    void unknownFieldsAreKeptInAttrs() {
        assertThat(run.storedAttr(BadInputRun.UNKNOWN_FIELDS_ID, "colour")).isEqualTo("teal");
    }

    @Test
    void timestampsFarInThePastAndFutureAreStoredClampedWithoutNewPartitions() {
        assertThat(run.storedTsMs(BadInputRun.PAST_ID)).isEqualTo(BadInputRun.PAST_TS);
        assertThat(run.storedTsMs(BadInputRun.FUTURE_ID)).isEqualTo(BadInputRun.FUTURE_TS);
        // 1970 lands on the oldest live day, 2400 on tomorrow: at most 3 days per retention tier
        assertThat(run.partitions("logs")).isLessThanOrEqualTo(3 * run.retentionTiers());
    }

    @Test
    void badPolicyRecordsAreIgnoredAndThePreviousPolicyStays() {
        // the survivors of app "guarded" were predicted with its valid policy (sample 0.5): exact set equality
        assertThat(run.verdict().exact()).isTrue();
        assertThat(run.storedForApp("guarded")).isBetween(1L, (long) BadInputRun.GUARDED - 1);
        assertThat(pipeline.processor(0).output()).contains("guarded");
    }

    @Test
    void badPolicyValuesAreRejectedBeforeTheyAreWritten() {
        assertThatThrownBy(() -> Policy.of(Map.of("importance", "urgent"))).isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("importance");
        assertThatThrownBy(() -> Policy.of(Map.of("sample_rate", -0.1))).isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("sample_rate");
        assertThatThrownBy(() -> Policy.of(Map.of("sample_rate", 1.5))).isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("sample_rate");
    }

    @Test
    void tombstoneForAnAppWithDataRestoresTheDefaultAndKeepsStoredRows() {
        assertThat(run.storedForApp("retired")).isEqualTo(run.expectedForApp("retired"));
        assertThat(run.retiredBeforeTombstoneStored()).isEqualTo(BadInputRun.RETIRED);
    }

    @Test
    void rowClickHouseRejectsGoesToTheDlqWithTheServerError() {
        assertDlq("poison", "clickhouse_rejected");
        assertThat(run.dlqReasons().get("poison").get(0)).contains("throwIf");
        assertThat(run.storedMessageCount("poison-row")).isZero();
    }

    private void assertDlq(String key, String reason) {
        assertThat(run.dlqReasons()).containsKey(key);
        assertThat(run.dlqReasons().get(key)).hasSize(1).first().asString().startsWith(reason);
    }
}
