package io.tagpipe.sink;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import com.clickhouse.client.api.ClientException;
import com.clickhouse.client.api.ServerException;

/**
 * The one place that decides what a database error means for delivery.
 *
 * <ul>
 * <li>{@link #REJECTED}: ClickHouse refused the data itself; retrying the same rows fails the
 *     same way, so the batch is split until the bad row is isolated and sent to the DLQ.</li>
 * <li>{@link #RETRIABLE}: the server is down, slow or overloaded; pause, back off, try again.</li>
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

    public static ErrorClass of(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ServerException s) {
                if (DATA_CODES.contains(s.getCode())) {
                    return REJECTED;
                }
                return FATAL_CODES.contains(s.getCode()) ? FATAL : RETRIABLE;
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException || c instanceof TimeoutException || c instanceof ClientException) {
                return RETRIABLE;
            }
        }
        return FATAL;
    }
}
