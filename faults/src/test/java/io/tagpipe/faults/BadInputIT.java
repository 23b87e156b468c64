package io.tagpipe.faults;

import org.junit.jupiter.api.BeforeAll;

import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.KafkaBroker;

/** Every bad-input case of {@link BadInputChecks} through the pipeline into Debian's clickhouse-server 18.16 (legacy dialect). */
class BadInputIT extends BadInputChecks {
    @BeforeAll
    void run(KafkaBroker kafka, ClickHouseServer ch) throws Exception {
        runEveryCaseThroughThePipeline(kafka, ch);
    }
}
