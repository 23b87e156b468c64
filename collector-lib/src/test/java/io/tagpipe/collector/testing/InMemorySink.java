package io.tagpipe.collector.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.tagpipe.collector.RecordSink;
import io.tagpipe.wire.Envelope;

/**
 * Keeps records in memory, so applications can test their logging without Kafka:
 * {@code TagpipeSender.builder().sink(sink).app("x").build()}. Optionally bounded, to test
 * drop handling.
 */
public final class InMemorySink implements RecordSink {
    private final List<Envelope> records = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, AtomicLong> drops = new ConcurrentHashMap<>();
    private final int capacity;
    private volatile boolean closed;

    public InMemorySink() {
        this(Integer.MAX_VALUE);
    }

    public InMemorySink(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public boolean offer(Envelope record) {
        if (closed || records.size() >= capacity) {
            countDrop(closed ? "closed" : "queue_full");
            return false;
        }
        records.add(record);
        return true;
    }

    @Override
    public boolean dropIfFull() {
        if (closed || records.size() >= capacity) {
            countDrop(closed ? "closed" : "queue_full");
            return true;
        }
        return false;
    }

    @Override
    public void countDrop(String reason) {
        drops.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public boolean flush(Duration timeout) {
        return true;
    }

    @Override
    public void close(Duration timeout) {
        closed = true;
    }

    @Override
    public long droppedCount() {
        return drops.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long droppedCount(String reason) {
        AtomicLong n = drops.get(reason);
        return n == null ? 0 : n.get();
    }

    public List<Envelope> records() {
        return List.copyOf(records);
    }

    public List<Envelope> logs() {
        return records.stream().filter(Envelope::isLog).collect(Collectors.toList());
    }

    public List<Envelope> metrics() {
        return records.stream().filter(Envelope::isMetric).collect(Collectors.toList());
    }

    public void clear() {
        records.clear();
    }
}
