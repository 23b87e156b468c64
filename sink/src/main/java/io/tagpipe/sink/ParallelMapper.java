package io.tagpipe.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Maps one poll's records with {@code threads} threads: contiguous slices, the first on the calling
 * thread, results in record order. JSON decoding was over half of the sink thread's time in the
 * profile, and the sink thread was the bottleneck; {@link RecordMapper} is stateless, so slices
 * decode independently. Small polls (a trickle) are mapped on the calling thread alone.
 */
final class ParallelMapper implements AutoCloseable {
    static final int MIN_PER_THREAD = 256;

    private final RecordMapper mapper;
    private final int threads;
    private final ExecutorService helpers;

    ParallelMapper(RecordMapper mapper, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.mapper = mapper;
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        this.helpers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "tagpipe-sink-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** One thread per available core, at most 4 (the consumer and inserter threads need some too). */
    static int defaultThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** {@link RecordMapper#map} of every record, in order. */
    Mapped[] mapAll(List<ConsumerRecord<byte[], byte[]>> records) {
        int n = records.size();
        Mapped[] out = new Mapped[n];
        int slices = Math.min(threads, n / MIN_PER_THREAD);
        if (slices <= 1) {
            mapSlice(records, out, 0, n);
            return out;
        }
        int per = (n + slices - 1) / slices;
        List<Future<?>> pending = new ArrayList<>(slices - 1);
        for (int s = 1; s < slices; s++) {
            int from = s * per;
            int to = Math.min(n, from + per);
            pending.add(helpers.submit(() -> mapSlice(records, out, from, to)));
        }
        mapSlice(records, out, 0, per);
        for (Future<?> f : pending) {
            join(f);
        }
        return out;
    }

    private void mapSlice(List<ConsumerRecord<byte[], byte[]>> records, Mapped[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = mapper.map(records.get(i));
        }
    }

    /** {@link RecordMapper#map} never throws; what arrives here is an Error (out of memory) or an interrupt. */
    private static void join(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("decoding failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        if (helpers != null) {
            helpers.shutdownNow();
        }
    }
}
