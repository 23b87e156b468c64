package io.tagpipe.bench.logcall;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import com.github.danielwegener.logback.kafka.KafkaAppender;
import com.github.danielwegener.logback.kafka.delivery.AsynchronousDeliveryStrategy;
import com.github.danielwegener.logback.kafka.keying.NoKeyKeyingStrategy;
import io.tagpipe.collector.logback.TagpipeAppender;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * The appenders measured side by side, each configured the way its README shows, logging through
 * its framework's own logger (so the cost is the whole log call an app pays). The alternatives use
 * a pattern layout, which is cheaper than tagpipe's JSON envelope: the comparison favours them.
 */
public enum LogTarget {
    /** The framework's own cost on this machine: same logger, same call and MDC, an appender that does nothing. */
    FLOOR_LOGBACK("floor: Logback + no-op appender"),
    FLOOR_LOG4J2("floor: Log4j2 + Null appender"),
    TAGPIPE_LOGBACK("tagpipe Logback appender"),
    /**
     * The cost of a call whose record is built and handed over, every time: a tight loop outruns any
     * sender, so with Kafka most calls find the queue full and only count a drop. This target hands
     * every record to a sink that accepts all and sends nothing.
     */
    TAGPIPE_LOGBACK_BUILT("tagpipe Logback appender, every record built (sink accepts all, sends nothing)"),
    TAGPIPE_LOG4J2("tagpipe Log4j2 appender"),
    LOG4J2_KAFKA_SYNC("log4j2 KafkaAppender (default syncSend=true)"),
    LOG4J2_KAFKA_ASYNC("log4j2 KafkaAppender syncSend=false"),
    LOGBACK_KAFKA("logback-kafka-appender 0.2.0-RC2 (async)");

    static final String PATTERN = "%d %p %c [%t] %m %X%n";
    static final Map<String, String> MDC = Map.of("user", "u-1", "request", "r-1");

    private final String title;

    LogTarget(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    /** A no-op appender: what the framework alone costs, to read the others against. */
    public boolean isFloor() {
        return this == FLOOR_LOGBACK || this == FLOOR_LOG4J2;
    }

    /** A started logger writing to {@code topic}; {@link Logger#close()} stops its appender. */
    public Logger open(String bootstrap, String topic) {
        return switch (this) {
            case FLOOR_LOGBACK, TAGPIPE_LOGBACK, TAGPIPE_LOGBACK_BUILT, LOGBACK_KAFKA -> logback(bootstrap, topic);
            case FLOOR_LOG4J2, TAGPIPE_LOG4J2, LOG4J2_KAFKA_SYNC, LOG4J2_KAFKA_ASYNC -> log4j2(bootstrap, topic);
        };
    }

    /** One log call with a parameter and the 2-entry MDC set up by {@link #open}. */
    public interface Logger extends AutoCloseable {
        void info(String format, long arg);

        @Override
        void close();
    }

    private Logger logback(String bootstrap, String topic) {
        LoggerContext ctx = new LoggerContext();
        ctx.setName("bench");
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // SLF4J's provider would set it
        ctx.start();
        ch.qos.logback.core.Appender<ch.qos.logback.classic.spi.ILoggingEvent> appender;
        if (this == FLOOR_LOGBACK) {
            appender = new ch.qos.logback.core.helpers.NOPAppender<>();
        } else if (this == TAGPIPE_LOGBACK_BUILT) {
            TagpipeAppender a = new TagpipeAppender();
            a.setSender(io.tagpipe.collector.TagpipeSender.builder().app("bench-logback").sink(new AcceptAll())
                    .shutdownHook(false).build());
            appender = a;
        } else if (this == TAGPIPE_LOGBACK) {
            TagpipeAppender a = new TagpipeAppender();
            a.setBootstrapServers(bootstrap);
            a.setTopic(topic);
            a.setApp("bench-logback");
            appender = a;
        } else {
            KafkaAppender<ch.qos.logback.classic.spi.ILoggingEvent> a = new KafkaAppender<>();
            PatternLayoutEncoder enc = new PatternLayoutEncoder();
            enc.setContext(ctx);
            enc.setPattern(PATTERN);
            enc.setCharset(StandardCharsets.UTF_8);
            enc.start();
            a.setEncoder(enc);
            a.setTopic(topic);
            a.setKeyingStrategy(new NoKeyKeyingStrategy());
            a.setDeliveryStrategy(new AsynchronousDeliveryStrategy());
            a.addProducerConfig("bootstrap.servers=" + bootstrap);
            appender = a;
        }
        appender.setContext(ctx);
        appender.setName("kafka");
        appender.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.setLevel(ch.qos.logback.classic.Level.INFO);
        root.addAppender(appender);
        MDC.forEach(ctx.getMDCAdapter()::put);
        ch.qos.logback.classic.Logger log = ctx.getLogger("io.tagpipe.bench.Checkout");
        return new Logger() {
            @Override
            public void info(String format, long arg) {
                log.info(format, arg);
            }

            @Override
            public void close() {
                ctx.stop();
            }
        };
    }

    private Logger log4j2(String bootstrap, String topic) {
        // an own context, not the global one: something else in the JVM may have initialised that already
        org.apache.logging.log4j.core.LoggerContext ctx = new org.apache.logging.log4j.core.LoggerContext("bench-" + name());
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName("bench-" + name());
        b.setLoggerContext(ctx);
        b.setStatusLevel(Level.ERROR);
        AppenderComponentBuilder a;
        if (this == FLOOR_LOG4J2) {
            a = b.newAppender("kafka", "Null");
        } else if (this == TAGPIPE_LOG4J2) {
            a = b.newAppender("kafka", "Tagpipe").addAttribute("bootstrapServers", bootstrap)
                    .addAttribute("topic", topic).addAttribute("app", "bench-log4j2");
        } else {
            a = b.newAppender("kafka", "Kafka").addAttribute("topic", topic)
                    .addAttribute("syncSend", this == LOG4J2_KAFKA_SYNC)
                    .add(b.newLayout("PatternLayout").addAttribute("pattern", PATTERN))
                    .addComponent(b.newProperty("bootstrap.servers", bootstrap));
        }
        b.add(a);
        b.add(b.newRootLogger(Level.INFO).add(b.newAppenderRef("kafka")));
        ctx.start(b.build());
        ThreadContext.putAll(MDC);
        org.apache.logging.log4j.Logger log = ctx.getLogger("io.tagpipe.bench.Checkout");
        return new Logger() {
            @Override
            public void info(String format, long arg) {
                log.info(format, arg);
            }

            @Override
            public void close() {
                ctx.stop();
            }
        };
    }
}
