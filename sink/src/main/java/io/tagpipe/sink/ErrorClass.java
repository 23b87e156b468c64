package io.tagpipe.sink;

import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.clickhouse.client.api.ClientException;
import com.clickhouse.client.api.ServerException;

/**
 * The one place that decides what a database error means for delivery. Codes and names are
 * ClickHouse's {@code src/Common/ErrorCodes.cpp}; a code not in the table is retried.
 */
public enum ErrorClass {
    /** The server (or the Kafka broker) is down, slow or overloaded: pause, back off, try again. */
    RETRIABLE,
    /** ClickHouse refused the data itself: split until the bad row is alone, send it to the DLQ. */
    REJECTED,
    /** The insert is too big for the server's memory: split it in halves; a single row backs off. */
    TOO_BIG,
    /** The insert spans more partitions than the server allows: insert fewer partitions at once. */
    TOO_MANY_PARTITIONS,
    /** Configuration or schema is wrong (or a bug): stop with a clear message rather than loop. */
    FATAL;

    private static final int TOO_MANY_PARTS = 252;
    private static final Map<Integer, ErrorClass> BY_CODE = new HashMap<>();
    private static final Map<Integer, String> NAMES = new HashMap<>();

    static {
        // the rows themselves: parse and type errors, Nested size mismatch, throwIf and CHECK guards
        decide(REJECTED, "6 CANNOT_PARSE_TEXT", "26 CANNOT_PARSE_QUOTED_STRING",
                "27 CANNOT_PARSE_INPUT_ASSERTION_FAILED", "38 CANNOT_PARSE_DATE", "41 CANNOT_PARSE_DATETIME",
                "53 TYPE_MISMATCH", "69 ARGUMENT_OUT_OF_BOUND", "70 CANNOT_CONVERT_TYPE", "72 CANNOT_PARSE_NUMBER",
                "117 INCORRECT_DATA", "130 CANNOT_READ_ARRAY_FROM_TEXT", "131 TOO_LARGE_STRING_SIZE",
                "190 SIZES_OF_ARRAYS_DOESNT_MATCH", "395 FUNCTION_THROW_IF_VALUE_IS_NON_ZERO",
                "469 VIOLATED_CONSTRAINT");
        decide(TOO_BIG, "241 MEMORY_LIMIT_EXCEEDED");
        // the statement or the table does not fit what the sink sends (a RowBinary row of other
        // types reads past its end: 33); who may write (authentication, access, read-only users)
        decide(FATAL, "8 THERE_IS_NO_COLUMN", "10 NOT_FOUND_COLUMN_IN_BLOCK", "16 NO_SUCH_COLUMN_IN_TABLE",
                "20 NUMBER_OF_COLUMNS_DOESNT_MATCH", "33 CANNOT_READ_ALL_DATA", "44 ILLEGAL_COLUMN",
                "47 UNKNOWN_IDENTIFIER", "60 UNKNOWN_TABLE", "62 SYNTAX_ERROR", "81 UNKNOWN_DATABASE",
                "164 READONLY", "192 UNKNOWN_USER", "193 WRONG_PASSWORD", "194 REQUIRED_PASSWORD",
                "195 IP_ADDRESS_NOT_ALLOWED", "291 DATABASE_ACCESS_DENIED", "497 ACCESS_DENIED",
                "516 AUTHENTICATION_FAILED");
        // busy, restarting, short of disk or of merges, or the network failed: wait
        decide(RETRIABLE, "159 TIMEOUT_EXCEEDED", "202 TOO_MANY_SIMULTANEOUS_QUERIES", "203 NO_FREE_CONNECTION",
                "209 SOCKET_TIMEOUT", "210 NETWORK_ERROR", "236 ABORTED", "242 TABLE_IS_READ_ONLY",
                "243 NOT_ENOUGH_SPACE", TOO_MANY_PARTS + " TOO_MANY_PARTS", "394 QUERY_WAS_CANCELLED",
                "999 KEEPER_EXCEPTION");
        // a cluster: a replica or shard away, or a quorum insert whose outcome is unknown (the rows
        // may be on a replica: the stored offsets are read from every replica before a retry)
        decide(RETRIABLE, "279 ALL_CONNECTION_TRIES_FAILED", "285 TOO_FEW_LIVE_REPLICAS",
                "286 UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE", "319 UNKNOWN_STATUS_OF_INSERT");
    }

    private static void decide(ErrorClass kind, String... codes) {
        for (String c : codes) {
            String[] codeAndName = c.split(" ");
            int code = Integer.parseInt(codeAndName[0]);
            BY_CODE.put(code, kind);
            NAMES.put(code, codeAndName[1]);
        }
    }

    /** ClickHouse's name of a code this class decides, e.g. {@code SYNTAX_ERROR}; "code N" otherwise. */
    static String name(int code) {
        return NAMES.getOrDefault(code, "code " + code);
    }

    private static final Pattern CODE = Pattern.compile("^\\s*Code:\\s*(\\d+)");

    /**
     * The server's error code. 18.16 sends no {@code X-ClickHouse-Exception-Code} header, so the
     * client cannot know it; the body always starts with {@code Code: N}.
     */
    static int code(ServerException s) {
        Matcher m = CODE.matcher(String.valueOf(s.getMessage()));
        return m.find() ? Integer.parseInt(m.group(1)) : s.getCode();
    }

    /**
     * A server error by code; code 252 (TOO_MANY_PARTS) is two errors told apart by the message:
     * "Too many partitions for single INSERT block" (the insert's shape) and "Too many parts"
     * (merges are behind: wait).
     */
    static ErrorClass ofServer(int code, String message) {
        if (code == TOO_MANY_PARTS && message != null
                && message.toLowerCase(Locale.ROOT).contains("too many partitions")) {
            return TOO_MANY_PARTITIONS;
        }
        return BY_CODE.getOrDefault(code, RETRIABLE);
    }

    /**
     * The server could not be reached at all (connection refused, no route, unknown host) or went away in the
     * middle of a request without answering (it closed the connection: shutting down, restarting, crashed): an
     * outage, not a server under load. A timeout is not in this class: a frozen or overloaded server times out too.
     */
    public static boolean unreachable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException || c instanceof java.net.NoRouteToHostException
                    || c instanceof java.net.UnknownHostException
                    || c.getClass().getName().equals("org.apache.hc.core5.http.NoHttpResponseException")) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    public static ErrorClass of(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ServerException s) {
                return ofServer(code(s), s.getMessage());
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            // a Kafka call that timed out (broker away while the sink reads its committed offsets) passes too
            if (c instanceof IOException || c instanceof TimeoutException || c instanceof ClientException
                    || c instanceof org.apache.kafka.common.errors.RetriableException) {
                return RETRIABLE;
            }
        }
        return FATAL;
    }
}
