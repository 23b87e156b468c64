package io.tagpipe.sink;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One batch in flight: its delivery (DLQ, then inserts) runs on a background thread while the
 * consumer thread reads and encodes the next batch. Profiling showed the single sink thread idle
 * for every insert while ClickHouse parsed and wrote the part; the box has a second core.
 *
 * <p>Two batches alternate: the one being filled, and the one in flight (or free). At most one is
 * in flight, so memory is bounded by two batches, and the caller waits for the delivery (and
 * commits its offsets) before handing over the next one — offsets are committed in order, and
 * only after ClickHouse acknowledged. With lane order the top lane has a pipeline of its own (its
 * partitions never in the other's batches), so each partition's offsets are still committed in order.
 * Used by the consumer thread only.
 */
final class InsertPipeline implements AutoCloseable {
    /** What a finished delivery yields: the offsets to commit and how many rows it covered. */
    record Done(Map<TopicPartition, OffsetAndMetadata> offsets, int rows) {
    }

    private final ExactlyOnceDelivery delivery;
    private final ExecutorService executor;
    private PendingBatch spare;
    private Future<Map<TopicPartition, OffsetAndMetadata>> inFlight;
    private int inFlightRows;
    private final boolean paced;

    InsertPipeline(ExactlyOnceDelivery delivery, PendingBatch spare) {
        this(delivery, spare, "tagpipe-sink-insert", true);
    }

    /** @param paced whether its INSERTs feed the pace behind the row cap ({@link ExactlyOnceDelivery#deliver(PendingBatch, boolean)}) */
    InsertPipeline(ExactlyOnceDelivery delivery, PendingBatch spare, String threadName, boolean paced) {
        this.delivery = delivery;
        this.spare = spare;
        this.paced = paced;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    boolean isBusy() {
        return inFlight != null;
    }

    /** True when a delivery is in flight and has finished (so {@link #await()} will not block). */
    boolean isDone() {
        return inFlight != null && inFlight.isDone();
    }

    /**
     * Starts delivering {@code full}; returns the empty batch to fill next. Only when not
     * {@link #isBusy()}: the caller awaits the previous delivery first.
     */
    PendingBatch submit(PendingBatch full) {
        if (inFlight != null) {
            throw new IllegalStateException("a batch is still in flight");
        }
        PendingBatch next = spare;
        spare = full;
        inFlightRows = full.rowCount();
        inFlight = executor.submit(() -> delivery.deliver(full, paced));
        return next;
    }

    /**
     * Waits for the batch in flight (if any) and frees it. Returns null when nothing was in flight;
     * throws the delivery's failure (the batch is discarded: nothing of it may be committed).
     */
    Done await() throws DeliveryException {
        if (inFlight == null) {
            return null;
        }
        try {
            return new Done(inFlight.get(), inFlightRows);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(ErrorClass.RETRIABLE, "interrupted while waiting for an insert", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DeliveryException d) {
                throw d;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            inFlight = null;
            spare.clear();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
