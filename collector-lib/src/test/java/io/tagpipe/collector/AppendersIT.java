package io.tagpipe.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.tagpipe.testkit.KafkaBroker;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Both appenders, configured from their XML, deliver to the real broker. */
@ExtendWith(RealServices.class)
class AppendersIT {

    @Test
    void logbackRecordsArriveWithLabelLevelMdcAndException(KafkaBroker kafka) throws Exception {
        String topic = RealServices.unique("logback");
        kafka.createTopic(topic, 2);
        LoggerContext ctx = new LoggerContext();
        LogbackMDCAdapter mdc = new LogbackMDCAdapter(); // org.slf4j.MDC in an app using logback
        ctx.setMDCAdapter(mdc);
        ctx.putProperty("bootstrap", kafka.bootstrapServers());
        ctx.putProperty("topic", topic);
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(ctx);
        joran.doConfigure(new ByteArrayInputStream("""
                <configuration>
                  <appender name="TAGPIPE" class="io.tagpipe.collector.logback.TagpipeAppender">
                    <bootstrapServers>${bootstrap}</bootstrapServers>
                    <topic>${topic}</topic>
                    <app>Checkout Service</app>
                    <queueCapacity>1000</queueCapacity>
                    <producerConfig>linger.ms=5</producerConfig>
                  </appender>
                  <root level="INFO"><appender-ref ref="TAGPIPE"/></root>
                </configuration>
                """.getBytes(StandardCharsets.UTF_8)));

        mdc.put("order", "o-1");
        mdc.put("traceId", "trace-lb");
        ctx.getLogger("com.acme.Checkout").error("payment failed for {}", "o-1", new IllegalStateException("declined"));
        mdc.clear();
        ctx.getLogger("com.acme.Checkout").debug("below root level, not sent");
        ctx.getLogger("com.acme.Checkout").info("done");
        ctx.stop(); // closes the appender: flushes within its deadline

        try (TopicRecords records = new TopicRecords(kafka, topic)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> records.poll().size() >= 2);
            List<Envelope> logs = records.poll();
            assertThat(logs).hasSize(2).allSatisfy(e -> {
                assertThat(e.app()).isEqualTo("checkout-service");
                assertThat(e.appSource()).isEqualTo("explicit");
            });
            Envelope error = logs.stream().filter(e -> e.level().equals("ERROR")).findFirst().orElseThrow();
            assertThat(error.message()).isEqualTo("payment failed for o-1");
            assertThat(error.logger()).isEqualTo("com.acme.Checkout");
            assertThat(error.attrs()).containsEntry("order", "o-1");
            assertThat(error.traceId()).isEqualTo("trace-lb");
            assertThat(error.exception()).startsWith("java.lang.IllegalStateException: declined").contains("\tat ");
            assertThat(records.keys()).containsOnly("checkout-service");
        }
    }

    @Test
    void log4j2RecordsArriveWithLabelLevelContextAndException(KafkaBroker kafka) throws Exception {
        String topic = RealServices.unique("log4j2");
        kafka.createTopic(topic, 2);
        String xml = """
                <Configuration status="WARN">
                  <Appenders>
                    <Tagpipe name="tagpipe" bootstrapServers="%s" topic="%s" app="search-indexer">
                      <Property name="linger.ms">5</Property>
                    </Tagpipe>
                  </Appenders>
                  <Loggers><Root level="info"><AppenderRef ref="tagpipe"/></Root></Loggers>
                </Configuration>
                """.formatted(kafka.bootstrapServers(), topic);
        // an own context: the JVM's default one may be initialised already (the broker logs through log4j)
        org.apache.logging.log4j.core.LoggerContext ctx = new org.apache.logging.log4j.core.LoggerContext(topic);
        ctx.start(new XmlConfiguration(ctx,
                new ConfigurationSource(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))));
        assertThat(ctx.getConfiguration().getAppenders()).containsKey("tagpipe");
        try {
            ThreadContext.put("tenant", "eu");
            ThreadContext.put("span_id", "span-l4j");
            ctx.getLogger("com.acme.Indexer").warn("slow batch", new RuntimeException("too slow"));
        } finally {
            ThreadContext.clearAll();
            ctx.stop(30, java.util.concurrent.TimeUnit.SECONDS);
        }

        try (TopicRecords records = new TopicRecords(kafka, topic)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> !records.poll().isEmpty());
            Envelope e = records.poll().get(0);
            assertThat(e.app()).isEqualTo("search-indexer");
            assertThat(e.level()).isEqualTo("WARN");
            assertThat(e.message()).isEqualTo("slow batch");
            assertThat(e.attrs()).containsEntry("tenant", "eu");
            assertThat(e.spanId()).isEqualTo("span-l4j");
            assertThat(e.exception()).startsWith("java.lang.RuntimeException: too slow");
        }
    }
}
