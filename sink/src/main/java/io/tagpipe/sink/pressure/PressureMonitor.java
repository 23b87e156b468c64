package io.tagpipe.sink.pressure;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.tagpipe.wire.Pressure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every period, on its own thread: drain the insert path's {@link InsertRecorder}, probe
 * ClickHouse ({@link HeadroomProbe}), let the {@link PressureController} decide, and publish the
 * level with its reasons and whether the sink is paused ({@link PressurePublisher}) — each period,
 * so {@code updated} stays fresh, and therefore also whenever the level changes. Nothing here can
 * stop the sink: a failed probe is a signal, a failed publish is logged and replaced by the next one.
 */
public final class PressureMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PressureMonitor.class);

    /** Where and how often to publish. */
    public record Settings(String bootstrapServers, Map<String, String> kafkaProperties, String topic, String groupId,
                           Duration period, PressureRules rules) {
    }

    private final InsertRecorder recorder;
    private final HeadroomProbe probe;
    private final PressureController controller;
    private final PressurePublisher publisher;
    private final Clock clock;
    private final String source;
    private final BooleanSupplier paused;
    private final ScheduledExecutorService scheduler;
    private int lastLevel;

    /** @param paused whether the consumer loop is paused now (ClickHouse unavailable), published with each level */
    public PressureMonitor(Settings s, InsertRecorder recorder, HeadroomProbe probe, BooleanSupplier paused, Clock clock) {
        this.recorder = recorder;
        this.paused = paused;
        this.probe = probe;
        this.clock = clock;
        this.source = s.groupId();
        this.controller = new PressureController(s.rules(), clock.millis());
        this.publisher = new PressurePublisher(s.bootstrapServers(), s.kafkaProperties(), s.topic(), s.groupId(), s.period());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tagpipe-pressure");
            t.setDaemon(true);
            return t;
        });
        long period = s.period().toMillis();
        scheduler.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            InsertRecorder.Period inserts = recorder.drain();
            HeadroomProbe.Probed db = probe.probe();
            Signals signals = new Signals(inserts.maxLatencyMs(), inserts.failures(), db.partsRatio(), db.partsWhere(),
                    db.merges(), db.freeDiskRatio(), inserts.backlogAgeMs(), db.error(),
                    inserts.unreachable() || db.unreachable());
            long now = clock.millis();
            PressureController.Decision d = controller.update(signals, now);
            if (d.level() != lastLevel) {
                log.warn("pressure level {} -> {}: {}", lastLevel, d.level(),
                        d.reasons().isEmpty() ? "every signal below its first threshold" : String.join("; ", d.reasons()));
                lastLevel = d.level();
            }
            publisher.publish(new Pressure(d.level(), d.reasons(), d.sinceMs(), now, source, paused.getAsBoolean()));
        } catch (RuntimeException e) {
            log.warn("pressure measurement failed (next one on schedule): {}", e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
    }
}
