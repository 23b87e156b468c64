package io.tagpipe.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * One connection to chDB, ClickHouse's engine as a shared library ({@code libchdb.so}), reached
 * through its C API with JNA. A connection runs one query at a time, so every call is serialised.
 * Queries are length-delimited: inline binary data after {@code FORMAT RowBinary} fits.
 */
final class ChdbSession implements AutoCloseable {

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
    private final Pointer connection;
    private final Pointer conn;

    private ChdbSession(Api api, Pointer connection) {
        this.api = api;
        this.connection = connection;
        this.conn = connection.getPointer(0);
    }

    /** Loads the library and opens a connection on the data dir {@code path} (created if absent). */
    static ChdbSession open(Path library, Path path) {
        Api api = Native.load(library.toString(), Api.class);
        Pointer c = api.chdb_connect(2, new String[] {"clickhouse", "--path=" + path.toAbsolutePath()});
        if (c == null || c.getPointer(0) == null) {
            throw new IllegalStateException("chdb_connect failed for data dir " + path);
        }
        return new ChdbSession(api, c);
    }

    synchronized Result query(byte[] query, String format) {
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
    public synchronized void close() {
        api.chdb_close_conn(connection);
    }
}
