package io.tagpipe.collector;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import io.tagpipe.wire.Envelope;
import io.tagpipe.wire.EnvelopeCodec;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Bounded queue + one worker thread feeding a Kafka producer. Callers only ever
 * {@code offer()}; a full queue drops and counts. Only the worker calls {@code send()}, which may
 * block up to {@code max.block.ms}: when it times out (broker down, no metadata) the worker keeps
 * that record, pauses with backoff and probes again, so a short outage loses nothing but the
 * overflow, and a long one never stalls callers or {@link #close}. Drop counts are sent as
 * {@code tagpipe.collector.dropped} metric records once Kafka accepts records again.
 *
 * <p>The worker is the throughput limit of a sender, so its loop is lean: it drains the queue in
 * batches (one lock round-trip per batch, not per record), encodes with one reused generator and
 * buffer, and hands every record the same callback object.
 */
final class KafkaRecordSink implements RecordSink {
    private static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int BATCH = 1024;
    private static final long INITIAL_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final ArrayBlockingQueue<Envelope> queue;
    private final Supplier<Producer<String, byte[]>> producerFactory;
    private final String topic;
    private final EnvelopeCodec.Encoder encoder = new EnvelopeCodec(Integer.MAX_VALUE).newEncoder();
    private final Callback delivered = this::delivered;
    private final BiFunction<String, Long, Envelope> dropMetric;
    private final DropCounts drops = new DropCounts();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final Thread worker;
    private volatile boolean closing;
    private volatile long closeDeadline;

    // worker-thread state
    private Producer<String, byte[]> producer;
    /** Taken from the queue, not yet handed to Kafka; kept across a broker outage. */
    private final ArrayDeque<Envelope> pending = new ArrayDeque<>(BATCH);
    private boolean syncTimeout;
    private long pausedUntil;
    private volatile long backoff = INITIAL_BACKOFF_NANOS;
    private long nextReport;

    KafkaRecordSink(int capacity, String topic, Supplier<Producer<String, byte[]>> producerFactory,
                    BiFunction<String, Long, Envelope> dropMetric, String threadName) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.topic = topic;
        this.producerFactory = producerFactory;
        this.dropMetric = dropMetric;
        this.worker = new Thread(this::run, threadName);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    @Override
    public boolean offer(Envelope record) {
        if (closing || !queue.offer(record)) {
            drops.add(closing ? DropCounts.CLOSED : DropCounts.QUEUE_FULL);
            return false;
        }
        accepted.incrementAndGet();
        return true;
    }

    @Override
    public boolean dropIfFull() {
        if (closing || queue.remainingCapacity() == 0) {
            drops.add(closing ? DropCounts.CLOSED : DropCounts.QUEUE_FULL);
            return true;
        }
        return false;
    }

    @Override
    public boolean flush(Duration timeout) {
        long target = accepted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (completed.get() < target) {
            if (System.nanoTime() - deadline > 0 || !worker.isAlive()) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        return true;
    }

    @Override
    public void close(Duration timeout) {
        closeDeadline = System.nanoTime() + timeout.toNanos();
        closing = true;
        try {
            worker.join(timeout.toMillis() + 2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void countDrop(String reason) {
        drops.add(reason);
    }

    @Override
    public long droppedCount() {
        return drops.total();
    }

    @Override
    public boolean isOwnThread(Thread t) {
        return t == worker;
    }

    private void run() {
        try {
            while (!(closing && (queue.isEmpty() && pending.isEmpty() || pastCloseDeadline()))) {
                step();
            }
        } catch (RuntimeException | Error e) {
            System.err.println("tagpipe: sender worker stopped by " + StackTraces.describe(e));
        } finally {
            shutDown();
        }
    }

    private void step() {
        long now = System.nanoTime();
        if (now - pausedUntil < 0) {
            LockSupport.parkNanos(Math.min(pausedUntil - now, TimeUnit.MILLISECONDS.toNanos(50)));
            return;
        }
        if (producer == null && !createProducer()) {
            return;
        }
        if (pending.isEmpty() && !takeBatch()) {
            maybeReportDrops();
            return;
        }
        while (!pending.isEmpty() && send(pending.peekFirst())) {
            pending.pollFirst();
        }
        maybeReportDrops();
    }

    /** Waits briefly for a record, then takes whatever else is queued, up to a batch. */
    private boolean takeBatch() {
        try {
            Envelope first = queue.poll(100, TimeUnit.MILLISECONDS);
            if (first == null) {
                return false;
            }
            pending.add(first);
            queue.drainTo(pending, BATCH - 1);
            return true;
        } catch (InterruptedException e) {
            closing = true;
            return false;
        }
    }

    /** True when the record left the worker (handed to Kafka or dropped); false to retry it later. */
    private boolean send(Envelope e) {
        byte[] value;
        try {
            value = encoder.encode(e);
        } catch (RuntimeException ex) {
            dropped(DropCounts.UNENCODABLE);
            return true;
        }
        syncTimeout = false;
        try {
            producer.send(new ProducerRecord<>(topic, e.app(), value), delivered);
        } catch (TimeoutException ex) {
            syncTimeout = true;
        } catch (RuntimeException ex) {
            dropped(DropCounts.SEND_FAILED);
            return true;
        }
        if (syncTimeout) {
            pause(); // Kafka is unreachable: keep this record (and the rest of the batch) for later
            return false;
        }
        return true;
    }

    private void delivered(RecordMetadata md, Exception ex) {
        if (ex instanceof TimeoutException && Thread.currentThread() == worker) {
            // reported inside send() itself: no metadata or no buffer space, nothing was queued
            syncTimeout = true;
            return;
        }
        if (ex != null) {
            drops.add(DropCounts.SEND_FAILED);
        } else if (backoff != INITIAL_BACKOFF_NANOS) {
            backoff = INITIAL_BACKOFF_NANOS; // a volatile write per record cost more than this check
        }
        completed.incrementAndGet();
    }

    private void maybeReportDrops() {
        long now = System.nanoTime();
        if (now - nextReport < 0 || !drops.hasUnreported() || now - pausedUntil < 0) {
            return;
        }
        nextReport = now + REPORT_INTERVAL_NANOS;
        for (Map.Entry<String, Long> d : drops.take().entrySet()) {
            String reason = d.getKey();
            long n = d.getValue();
            try {
                Envelope metric = dropMetric.apply(reason, n);
                producer.send(new ProducerRecord<>(topic, metric.app(), encoder.encode(metric)), (md, ex) -> {
                    if (ex != null) {
                        drops.putBack(reason, n);
                    }
                    if (ex instanceof TimeoutException && Thread.currentThread() == worker) {
                        pause();
                    }
                });
            } catch (TimeoutException ex) {
                drops.putBack(reason, n);
                pause();
            } catch (RuntimeException ex) {
                drops.putBack(reason, n);
            }
        }
    }

    private boolean createProducer() {
        try {
            producer = producerFactory.get();
            return true;
        } catch (RuntimeException e) {
            // e.g. unresolvable bootstrap servers: keep accepting (and dropping on overflow), retry later
            pause();
            return false;
        }
    }

    private void pause() {
        pausedUntil = System.nanoTime() + backoff;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
    }

    private void dropped(String reason) {
        drops.add(reason);
        completed.incrementAndGet();
    }

    private boolean pastCloseDeadline() {
        return System.nanoTime() - closeDeadline > 0;
    }

    private void shutDown() {
        long left = pending.size() + queue.size();
        pending.clear();
        queue.clear();
        if (left > 0) {
            drops.add(DropCounts.CLOSED, left);
            completed.addAndGet(left);
            System.err.println("tagpipe: " + left + " records not sent at close (Kafka unreachable until the deadline)");
        }
        if (producer != null) {
            try {
                producer.close(Duration.ofNanos(Math.max(0, closeDeadline - System.nanoTime())));
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
    }
}
