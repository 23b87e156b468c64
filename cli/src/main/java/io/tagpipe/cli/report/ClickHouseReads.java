package io.tagpipe.cli.report;

import java.util.List;
import java.util.concurrent.ExecutionException;

import com.clickhouse.client.api.ServerException;
import io.tagpipe.sink.ClickHouseStore;
import io.tagpipe.sink.ErrorClass;

/**
 * Read-only SQL for {@code report}, {@code replay} and the demo, through the sink's {@link ClickHouseStore}
 * (the official client, TabSeparated: every server version answers it the same way, 18.16 included).
 * Its only job is to turn a failure into a {@link ReportException} that says what happened in the operator's terms.
 */
public final class ClickHouseReads implements AutoCloseable {
    private final ClickHouseStore store;

    public ClickHouseReads(ClickHouseStore store) {
        this.store = store;
    }

    public String url() {
        return store.url();
    }

    /** The rows of a SELECT, each field unescaped text. */
    public List<String[]> rows(String select) {
        try {
            return store.queryRows(select);
        } catch (Exception e) {
            throw failure(e);
        }
    }

    /** Runs one statement; returns its TabSeparated answer. */
    public String text(String sql) {
        try {
            return store.queryText(sql);
        } catch (Exception e) {
            throw failure(e);
        }
    }

    private ReportException failure(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new ReportException("interrupted while querying ClickHouse");
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ServerException s) {
                return new ReportException("ClickHouse at " + url() + " refused the query: " + firstLine(s.getMessage()));
            }
        }
        Throwable root = e;
        while ((root instanceof ExecutionException || root.getMessage() == null) && root.getCause() != null
                && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return new ReportException("ClickHouse at " + url() + (ErrorClass.unreachable(e) ? " is unreachable: " : " failed: ")
                + why);
    }

    private static String firstLine(String s) {
        String t = String.valueOf(s).strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    @Override
    public void close() {
        store.close();
    }
}
