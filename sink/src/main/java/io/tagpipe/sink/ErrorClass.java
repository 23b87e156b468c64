package io.tagpipe.sink;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.clickhouse.client.api.ClientException;
import com.clickhouse.client.api.ServerException;

/**
 * The one place that decides what a database error means for delivery.
 *
 * <ul>
 * <li>{@link #REJECTED}: ClickHouse refused the data itself; retrying the same rows fails the
 *     same way, so the batch is split until the bad row is isolated and sent to the DLQ.</li>
 * <li>{@link #RETRIABLE}: the server (or the Kafka broker) is down, slow or overloaded; pause, back off, try again.</li>
 * <li>{@link #FATAL}: configuration or schema is wrong (or a bug); stop with a clear message
 *     rather than loop forever.</li>
 * </ul>
 */
public enum ErrorClass {
    RETRIABLE, REJECTED, FATAL;

    /** Server codes that mean "this data is bad" (parse errors, type errors, throwIf, Nested size mismatch). */
    private static final Set<Integer> DATA_CODES = Set.of(
            6, 26, 27, 38, 41, 53, 69, 70, 72, 117, 130, 131, 190, 395);
    /** Server codes that no retry can fix: authentication, access, missing schema objects. */
    private static final Set<Integer> FATAL_CODES = Set.of(
            16, 47, 60, 81, 192, 193, 194, 195, 497, 516);

    /**
     * The server's error code. 18.16 sends no {@code X-ClickHouse-Exception-Code} header, so the
     * client cannot know it; the body always starts with {@code Code: N}.
     */
    static int code(ServerException s) {
        Matcher m = CODE.matcher(String.valueOf(s.getMessage()));
        return m.find() ? Integer.parseInt(m.group(1)) : s.getCode();
    }

    private static final Pattern CODE = Pattern.compile("^\\s*Code:\\s*(\\d+)");

    public static ErrorClass of(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ServerException s) {
                int code = code(s);
                if (DATA_CODES.contains(code)) {
                    return REJECTED;
                }
                return FATAL_CODES.contains(code) ? FATAL : RETRIABLE;
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
