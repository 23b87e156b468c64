package io.tagpipe.bench.logcall;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tagpipe.bench.BrokerProcess;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.TempDirs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of one log call on the app thread, broker up. {@code bootstrap} empty: a testkit broker is
 * started in this JVM for the trial; the {@code tagpipe bench} runner passes a broker running in its
 * own JVM instead, so the broker's work does not land in the measured process.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LogCallBenchmark {
    @Param({"FLOOR_LOGBACK", "FLOOR_LOG4J2", "TAGPIPE_LOGBACK", "TAGPIPE_LOGBACK_BUILT", "TAGPIPE_LOG4J2", "LOG4J2_KAFKA_SYNC", "LOG4J2_KAFKA_ASYNC", "LOGBACK_KAFKA"})
    public LogTarget target;

    @Param("")
    public String bootstrap;

    private KafkaBroker ownBroker;
    private LogTarget.Logger logger;
    private long i;
    private Path ownBrokerDir;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String servers = bootstrap;
        if (servers == null || servers.isBlank()) {
            ownBrokerDir = Files.createTempDirectory("tagpipe-jmh-broker");
            ownBroker = KafkaBroker.start(ownBrokerDir);
            servers = ownBroker.bootstrapServers();
        }
        String topic = "logcall-" + target.name().toLowerCase() + "-" + System.nanoTime();
        BrokerProcess.createTopic(servers, topic, 4, Map.of());
        logger = target.open(servers, topic);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        logger.close();
        if (ownBroker != null) {
            ownBroker.close();
            TempDirs.deleteTree(ownBrokerDir);
        }
    }

    @Benchmark
    public void logCall() {
        logger.info("order placed for customer c-{} total 42.50 EUR in 3 items", i++);
    }
}
