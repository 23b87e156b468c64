package io.tagpipe.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * One connection to chDB, ClickHouse's engine as a shared library ({@code libchdb.so}), reached
 * through its C API with JNA. A connection runs one query at a time: every call runs on one engine
 * thread, in order (the engine keeps per-thread query state, so the connection never changes
 * thread). Queries are length-delimited: inline binary data after {@code FORMAT RowBinary} fits.
 * A query still running after {@link #SLOW} is printed, and again every {@link #SLOW}, so a stuck
 * engine names its query in the front's log.
 */
final class ChdbSession implements AutoCloseable {
    static final Duration SLOW = Duration.ofSeconds(20);

    /** The part of chDB's C API ({@code chdb.h}) used here. */
    interface Api extends Library {
        Pointer chdb_connect(int argc, String[] argv);

        void chdb_close_conn(Pointer connection);

        Pointer chdb_query_n(Pointer conn, byte[] query, NativeLong queryLength, byte[] format, NativeLong formatLength);

        Pointer chdb_result_buffer(Pointer result);

        NativeLong chdb_result_length(Pointer result);

        String chdb_result_error(Pointer result);

        long chdb_result_rows_read(Pointer result);

        long chdb_result_bytes_read(Pointer result);

        long chdb_result_rows_written(Pointer result);

        long chdb_result_bytes_written(Pointer result);

        void chdb_destroy_query_result(Pointer result);
    }

    /** What a query returned: the output bytes, or the server's error text ({@code Code: N. DB::Exception: …}). */
    record Result(byte[] output, String error, long rowsRead, long bytesRead, long rowsWritten, long bytesWritten) {
        boolean failed() {
            return error != null;
        }
    }

    private final Api api;
    private final ExecutorService engine;
    private final ScheduledExecutorService watchdog;
    private final AtomicReference<Running> running = new AtomicReference<>();
    private final Pointer connection;
    private final Pointer conn;

    /** The query on the engine thread now, for the watchdog. */
    private record Running(String head, long startedNanos) {
    }

    private ChdbSession(Api api, ExecutorService engine, Pointer connection) {
        this.api = api;
        this.engine = engine;
        this.connection = connection;
        this.conn = connection.getPointer(0);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "chdb-watchdog"));
        watchdog.scheduleAtFixedRate(this::reportSlow, 5, 5, TimeUnit.SECONDS);
    }

    /** Loads the library and opens a connection on the data dir {@code path} (created if absent). */
    static ChdbSession open(Path library, Path path) {
        ExecutorService engine = Executors.newSingleThreadExecutor(r -> daemon(r, "chdb-engine"));
        Api api = Native.load(library.toString(), Api.class);
        Pointer c = call(engine, () -> api.chdb_connect(2, new String[] {"clickhouse", "--path=" + path.toAbsolutePath()}));
        if (c == null || c.getPointer(0) == null) {
            throw new IllegalStateException("chdb_connect failed for data dir " + path);
        }
        return new ChdbSession(api, engine, c);
    }

    Result query(byte[] query, String format) {
        return call(engine, () -> {
            running.set(new Running(new String(query, 0, Math.min(query.length, 300), StandardCharsets.UTF_8),
                    System.nanoTime()));
            try {
                return run(query, format);
            } finally {
                running.set(null);
            }
        });
    }

    private Result run(byte[] query, String format) {
        byte[] f = format.getBytes(StandardCharsets.US_ASCII);
        Pointer r = api.chdb_query_n(conn, query, new NativeLong(query.length), f, new NativeLong(f.length));
        if (r == null) {
            return new Result(new byte[0], "Code: 1001. DB::Exception: chDB returned no result", 0, 0, 0, 0);
        }
        try {
            String error = api.chdb_result_error(r);
            if (error != null && !error.isEmpty()) {
                return new Result(new byte[0], error, 0, 0, 0, 0);
            }
            long n = api.chdb_result_length(r).longValue();
            byte[] out = n == 0 ? new byte[0] : api.chdb_result_buffer(r).getByteArray(0, Math.toIntExact(n));
            return new Result(out, null, api.chdb_result_rows_read(r), api.chdb_result_bytes_read(r),
                    api.chdb_result_rows_written(r), api.chdb_result_bytes_written(r));
        } finally {
            api.chdb_destroy_query_result(r);
        }
    }

    Result query(String sql, String format) {
        return query(sql.getBytes(StandardCharsets.UTF_8), format);
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        call(engine, () -> {
            api.chdb_close_conn(connection);
            return null;
        });
        engine.shutdown();
    }

    private void reportSlow() {
        Running r = running.get();
        if (r != null && System.nanoTime() - r.startedNanos() > SLOW.toNanos()) {
            System.out.printf("chDB query still running after %d s: %s%n",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - r.startedNanos()), r.head().replace('\n', ' '));
            System.out.flush();
        }
    }

    private static <T> T call(ExecutorService engine, Callable<T> task) {
        try {
            return engine.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
