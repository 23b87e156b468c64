package io.tagpipe.sink;

import static io.tagpipe.sink.ErrorClass.FATAL;
import static io.tagpipe.sink.ErrorClass.REJECTED;
import static io.tagpipe.sink.ErrorClass.RETRIABLE;
import static io.tagpipe.sink.ErrorClass.TOO_BIG;
import static io.tagpipe.sink.ErrorClass.TOO_MANY_PARTITIONS;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.stream.Stream;

import com.clickhouse.client.api.ClientException;
import com.clickhouse.client.api.ServerException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every server code {@link ErrorClass} decides, with its name in ClickHouse's
 * {@code src/Common/ErrorCodes.cpp}, as 18.16 sends it (the code only in the body) and as current
 * servers do (the {@code X-ClickHouse-Exception-Code} header, the name in the message).
 */
class ErrorClassTest {

    static Stream<Arguments> serverErrors() {
        return Stream.of(
                // the data: isolate the row, DLQ it
                row(6, "CANNOT_PARSE_TEXT", "Cannot parse input", REJECTED),
                row(26, "CANNOT_PARSE_QUOTED_STRING", "Cannot parse quoted string", REJECTED),
                row(27, "CANNOT_PARSE_INPUT_ASSERTION_FAILED", "Cannot parse input: expected '\\t'", REJECTED),
                row(38, "CANNOT_PARSE_DATE", "Cannot parse date", REJECTED),
                row(41, "CANNOT_PARSE_DATETIME", "Cannot parse datetime", REJECTED),
                row(53, "TYPE_MISMATCH", "Type mismatch", REJECTED),
                row(69, "ARGUMENT_OUT_OF_BOUND", "Argument out of bound", REJECTED),
                row(70, "CANNOT_CONVERT_TYPE", "Cannot convert", REJECTED),
                row(72, "CANNOT_PARSE_NUMBER", "Cannot parse number", REJECTED),
                row(117, "INCORRECT_DATA", "Incorrect data", REJECTED),
                row(130, "CANNOT_READ_ARRAY_FROM_TEXT", "Cannot read array from text", REJECTED),
                row(131, "TOO_LARGE_STRING_SIZE", "Too large string size", REJECTED),
                row(190, "SIZES_OF_ARRAYS_DOESNT_MATCH", "Elements of Nested attrs have different sizes", REJECTED),
                row(395, "FUNCTION_THROW_IF_VALUE_IS_NON_ZERO", "Value passed to 'throwIf' function is non zero", REJECTED),
                row(469, "VIOLATED_CONSTRAINT", "Constraint `c` for table is violated", REJECTED),
                // the insert's shape: split it (252 is two errors, told apart by the message)
                row(241, "MEMORY_LIMIT_EXCEEDED", "Memory limit (for query) exceeded: would use 9.31 GiB", TOO_BIG),
                row(252, "TOO_MANY_PARTS", "Too many partitions for single INSERT block (more than 100). The limit "
                        + "is controlled by 'max_partitions_per_insert_block' setting", TOO_MANY_PARTITIONS),
                row(252, "TOO_MANY_PARTS", "Too many parts (300). Merges are processing significantly slower than "
                        + "inserts", RETRIABLE),
                row(252, "TOO_MANY_PARTS", "Too many parts (100000) in all partitions in total in table 'db.logs'",
                        RETRIABLE),
                // statement or schema does not fit: stop, a retry cannot help
                row(8, "THERE_IS_NO_COLUMN", "There is no column 'attrs.key'", FATAL),
                row(10, "NOT_FOUND_COLUMN_IN_BLOCK", "Not found column ts in block", FATAL),
                row(16, "NO_SUCH_COLUMN_IN_TABLE", "No such column importance in table logs", FATAL),
                row(20, "NUMBER_OF_COLUMNS_DOESNT_MATCH", "Number of columns doesn't match", FATAL),
                row(33, "CANNOT_READ_ALL_DATA", "Cannot read all data. Bytes read: 1. Bytes expected: 121.", FATAL),
                row(44, "ILLEGAL_COLUMN", "Illegal column", FATAL),
                row(47, "UNKNOWN_IDENTIFIER", "Missing columns: 'kafka_offset'", FATAL),
                row(60, "UNKNOWN_TABLE", "Table tagpipe.logs doesn't exist", FATAL),
                row(62, "SYNTAX_ERROR", "Syntax error: failed at position 26", FATAL),
                row(81, "UNKNOWN_DATABASE", "Database tagpipe doesn't exist", FATAL),
                row(164, "READONLY", "Cannot execute query in readonly mode", FATAL),
                row(192, "UNKNOWN_USER", "Unknown user sink", FATAL),
                row(193, "WRONG_PASSWORD", "Wrong password for user sink", FATAL),
                row(194, "REQUIRED_PASSWORD", "Password required for user sink", FATAL),
                row(195, "IP_ADDRESS_NOT_ALLOWED", "User sink is not allowed to connect from address", FATAL),
                row(291, "DATABASE_ACCESS_DENIED", "Access denied to database tagpipe", FATAL),
                row(497, "ACCESS_DENIED", "sink: Not enough privileges", FATAL),
                row(516, "AUTHENTICATION_FAILED", "sink: Authentication failed", FATAL),
                // busy, restarting, short of something: back off and retry
                row(159, "TIMEOUT_EXCEEDED", "Timeout exceeded: elapsed 60 seconds", RETRIABLE),
                row(202, "TOO_MANY_SIMULTANEOUS_QUERIES", "Too many simultaneous queries. Maximum: 100", RETRIABLE),
                row(203, "NO_FREE_CONNECTION", "No free connection", RETRIABLE),
                row(209, "SOCKET_TIMEOUT", "Timeout exceeded while reading from socket", RETRIABLE),
                row(210, "NETWORK_ERROR", "Connection reset by peer", RETRIABLE),
                row(236, "ABORTED", "Aborted", RETRIABLE),
                row(242, "TABLE_IS_READ_ONLY", "Table is in readonly mode", RETRIABLE),
                row(243, "NOT_ENOUGH_SPACE", "Cannot reserve 1.00 MiB, not enough space", RETRIABLE),
                row(394, "QUERY_WAS_CANCELLED", "Query was cancelled", RETRIABLE),
                row(999, "KEEPER_EXCEPTION", "Session expired", RETRIABLE),
                // a cluster (messages as 18.16 sent them with a replica killed): read every replica, then retry
                row(279, "ALL_CONNECTION_TRIES_FAILED", "All connection tries failed. Log: Connection refused (127.0.0.1:29002)", RETRIABLE),
                row(285, "TOO_FEW_LIVE_REPLICAS", "Number of alive replicas (1) is less than requested quorum (2).", RETRIABLE),
                row(286, "UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE", "Quorum for previous write has not been satisfied yet.", RETRIABLE),
                row(319, "UNKNOWN_STATUS_OF_INSERT", "Unknown status, client must retry. Reason: Code: 159, "
                        + "e.displayText() = DB::Exception: Timeout while waiting for quorum", RETRIABLE),
                // a code the table does not know: retried, never dropped
                row(1002, "UNKNOWN_EXCEPTION", "something new", RETRIABLE));
    }

    private static Arguments row(int code, String name, String message, ErrorClass expected) {
        return Arguments.of(code, name, message, expected);
    }

    @ParameterizedTest(name = "{0} {1}: {3}")
    @MethodSource("serverErrors")
    void asSentBy18_16WithTheCodeOnlyInTheBody(int code, String name, String message, ErrorClass expected) {
        String body = "Code: " + code + ", e.displayText() = DB::Exception: " + message + ", e.what() = DB::Exception";
        assertThat(ErrorClass.of(new ServerException(0, body, 500, "q"))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1}: {3}")
    @MethodSource("serverErrors")
    void asSentByCurrentServersWithTheCodeHeaderWrappedByTheClient(int code, String name, String message,
                                                                   ErrorClass expected) {
        String body = "Code: " + code + ". DB::Exception: " + message + ". (" + name + ") (version 26.7.2.1)";
        ServerException s = new ServerException(code, body, 500, "q");
        assertThat(ErrorClass.of(new RuntimeException("insert failed", s))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("serverErrors")
    void theClassKnowsEachDecidedCodeByItsClickHouseName(int code, String name, String message, ErrorClass expected) {
        assertThat(ErrorClass.name(code)).isEqualTo(code == 1002 ? "code 1002" : name);
    }

    static Stream<Arguments> clientErrors() {
        return Stream.of(
                Arguments.of(new RuntimeException(new ConnectException("Connection refused")), RETRIABLE),
                Arguments.of(new SocketTimeoutException("Read timed out"), RETRIABLE),
                Arguments.of(new ClientException("Failed to get response"), RETRIABLE),
                // consumer.committed() while the broker restarts: wait and retry, never stop the sink
                Arguments.of(new org.apache.kafka.common.errors.TimeoutException("committed offsets"), RETRIABLE),
                Arguments.of(new org.apache.kafka.common.errors.AuthorizationException("denied"), FATAL),
                Arguments.of(new NullPointerException(), FATAL));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("clientErrors")
    void errorsWithoutAServerCodeAreRetriedWhenTheyAreIoOrTimeoutsAndFatalOtherwise(Throwable t, ErrorClass expected) {
        assertThat(ErrorClass.of(t)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void aRefusedConnectionIsAnOutageButATimeoutOrAServerErrorIsNot() {
        assertThat(ErrorClass.unreachable(new ClientException("Failed to get response",
                new ConnectException("Connection refused")))).isTrue();
        assertThat(ErrorClass.unreachable(new RuntimeException(new java.net.UnknownHostException("clickhouse")))).isTrue();
        // the server closed the connection without an answer as it shut down (seen in the fault suite's stop)
        assertThat(ErrorClass.unreachable(new ClientException("Insert request failed",
                new org.apache.hc.core5.http.NoHttpResponseException("127.0.0.1:8123 failed to respond")))).isTrue();
        assertThat(ErrorClass.unreachable(new ClientException("Failed to get response",
                new SocketTimeoutException("Read timed out")))).isFalse();
        assertThat(ErrorClass.unreachable(new RuntimeException("Code: 241. DB::Exception: Memory limit exceeded"))).isFalse();
    }
}
