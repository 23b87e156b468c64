package io.tagpipe.faults;

import org.junit.jupiter.api.BeforeAll;

import io.tagpipe.testkit.ChdbEngine;
import io.tagpipe.testkit.KafkaBroker;

/** Every bad-input case of {@link BadInputChecks} through the pipeline into the ClickHouse 26.7 engine (chDB behind testkit's HTTP front; current dialect). */
class BadInputCurrentIT extends BadInputChecks {
    @BeforeAll
    void run(KafkaBroker kafka, ChdbEngine ch) throws Exception {
        runEveryCaseThroughThePipeline(kafka, ch);
    }
}
