package io.tagpipe.collector;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.Level;

/**
 * The direct API: logs and metric values, labelled with this process's {@link AppIdentity} and
 * handed to a {@link RecordSink} (Kafka, via a bounded queue and one worker thread).
 *
 * <p>Every emit method returns at once and never throws into the application: bad input is
 * capped or repaired, a full queue drops and counts ({@link #droppedCount()}).
 */
public final class TagpipeSender implements AutoCloseable {
    public static final String DROPPED_METRIC = "tagpipe.collector.dropped";
    /** The attr that holds a log event's marker names ({@link MarkerNames}). */
    public static final String MARKER_ATTR = "marker";
    /** Attrs per record; appenders stop collecting call-site fields here too. */
    public static final int MAX_ATTRS = 64;
    static final int MAX_ATTR_KEY_CHARS = 128;
    static final int MAX_ATTR_VALUE_CHARS = 1024;
    static final int MAX_NAME_CHARS = 256;

    private final AppIdentity identity;
    private final String host;
    private final Clock clock;
    private final int maxMessageChars;
    private final RecordSink sink;
    private final Duration closeTimeout;
    private final SpanLookup spans;
    private volatile Thread shutdownHook;

    TagpipeSender(AppIdentity identity, String host, Clock clock, int maxMessageChars,
                  java.util.function.Function<TagpipeSender, RecordSink> sinkFactory, Duration closeTimeout,
                  SpanLookup spans) {
        this.spans = spans;
        this.identity = identity;
        this.host = host;
        this.clock = clock;
        this.maxMessageChars = maxMessageChars;
        this.closeTimeout = closeTimeout;
        this.sink = sinkFactory.apply(this);
    }

    public static SenderBuilder builder() {
        return new SenderBuilder(ProcessInfo.current());
    }

    /** A builder filled from {@code TAGPIPE_*} environment variables (see README). */
    public static SenderBuilder fromEnv() {
        return builder().fromEnv();
    }

    public AppIdentity identity() {
        return identity;
    }

    public String host() {
        return host;
    }

    public void log(Level level, String logger, String message, Throwable thrown, Map<String, String> attrs) {
        if (dropIfFull()) {
            return;
        }
        log(new LogEntry(clock.millis(), level, logger, Thread.currentThread().getName(), message, thrown, null, attrs));
    }

    /**
     * True when the queue has no room now: the drop is counted ({@code queue_full}) and the caller
     * should not build the record. Appenders ask before they format the event.
     */
    public boolean dropIfFull() {
        try {
            return sink.dropIfFull();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * For appenders: the event's own time, thread, call-site fields, marker and context (MDC /
     * ThreadContext). Appenders ask {@link #dropIfFull()} first, before they format the event; this
     * method does not ask again (a full queue still drops and counts at the enqueue).
     *
     * <p>Trace and span id: {@code trace_id}/{@code traceId} and {@code span_id}/{@code spanId}
     * from the fields or context win; only when neither id is there, the current OpenTelemetry span
     * (if the API is on the classpath) gives both. Runs on the logging thread, where that span is current.
     */
    public void log(LogEntry e) {
        try {
            Map<String, String> attrs = Attrs.of(e.fields(), e.marker(), e.context());
            String traceId = Attrs.takeFirst(attrs, "trace_id", "traceId");
            String spanId = Attrs.takeFirst(attrs, "span_id", "spanId");
            if (traceId == null && spanId == null) {
                SpanLookup.SpanIds current = spans.current();
                if (current != null) {
                    traceId = current.traceId();
                    spanId = current.spanId();
                }
            }
            String exception = e.thrown() != null ? StackTraces.render(e.thrown(), maxMessageChars)
                    : Sanitizer.text(e.exceptionText(), maxMessageChars);
            sink.offer(Envelope.log(RecordIds.next(e.ts()), identity.label(), e.ts())
                    .appSource(identity.source()).host(host)
                    .level(e.level() == null ? Level.INFO.name() : e.level().name())
                    .logger(Sanitizer.text(e.logger(), MAX_NAME_CHARS))
                    .thread(Sanitizer.text(e.thread(), MAX_NAME_CHARS))
                    .message(Sanitizer.text(e.message(), maxMessageChars))
                    .exception(exception).traceId(traceId).spanId(spanId).attrs(attrs).build());
        } catch (RuntimeException | LinkageError | StackOverflowError ex) {
            internalError();
        }
    }

    public void counter(String name, double value, Map<String, String> attrs) {
        metric("counter", name, value, null, attrs);
    }

    public void gauge(String name, double value, Map<String, String> attrs) {
        metric("gauge", name, value, null, attrs);
    }

    /** A duration, sent in milliseconds. */
    public void timer(String name, Duration duration, Map<String, String> attrs) {
        metric("timer", name, duration == null ? Double.NaN : duration.toNanos() / 1e6, "ms", attrs);
    }

    private void metric(String type, String name, double value, String unit, Map<String, String> attrs) {
        try {
            if (name == null || name.isBlank() || !Double.isFinite(value)) {
                sink.countDrop(DropCounts.INVALID);
                return;
            }
            if (sink.dropIfFull()) {
                return;
            }
            long ts = clock.millis();
            sink.offer(metricEnvelope(ts, type, Sanitizer.text(name, MAX_NAME_CHARS), value, unit, Attrs.of(attrs, null, null)));
        } catch (RuntimeException | LinkageError | StackOverflowError ex) {
            internalError();
        }
    }

    Envelope metricEnvelope(long ts, String type, String name, double value, String unit, Map<String, String> attrs) {
        return Envelope.metric(RecordIds.next(ts), identity.label(), ts).appSource(identity.source()).host(host)
                .type(type).name(name).value(value).unit(unit).attrs(attrs).build();
    }

    /** The record that reports drops: counter {@value #DROPPED_METRIC}, attr {@code reason}. */
    Envelope droppedMetric(String reason, long count) {
        return metricEnvelope(clock.millis(), "counter", DROPPED_METRIC, count, null, Map.of("reason", reason));
    }

    /** Records dropped so far (queue full, Kafka unreachable, failed sends, invalid input). */
    public long droppedCount() {
        return sink.droppedCount();
    }

    /**
     * True when a log event must not be sent: Kafka's own loggers and the sender's worker thread,
     * or the Kafka client would log about sending a log about sending … (see README).
     */
    public boolean isInternal(String loggerName) {
        return (loggerName != null && loggerName.startsWith("org.apache.kafka"))
                || sink.isOwnThread(Thread.currentThread());
    }

    /** Waits until everything sent before the call is delivered or dropped; {@code false} on timeout. */
    public boolean flush(Duration timeout) {
        try {
            return sink.flush(timeout);
        } catch (RuntimeException e) {
            return false;
        }
    }

    public void close(Duration timeout) {
        Thread hook = shutdownHook;
        if (hook != null && hook != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running already
            }
        }
        sink.close(timeout);
    }

    @Override
    public void close() {
        close(closeTimeout);
    }

    void installShutdownHook() {
        Thread hook = new Thread(() -> sink.close(closeTimeout), "tagpipe-shutdown-" + identity.label());
        shutdownHook = hook;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private void internalError() {
        try {
            sink.countDrop(DropCounts.INVALID);
        } catch (RuntimeException ignored) {
            // nothing more we can do without throwing into the application
        }
    }
}
