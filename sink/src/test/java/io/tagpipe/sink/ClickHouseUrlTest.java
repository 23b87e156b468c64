package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClickHouseUrlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            http://ch1:8123                                 | http://ch1:8123
            http://127.0.0.1:8123/                          | http://127.0.0.1:8123
            https://ch.example.com:8443/clickhouse/         | https://ch.example.com:8443/clickhouse
            jdbc:clickhouse://ch1:8123                      | http://ch1:8123
            jdbc:clickhouse://ch1:8123/                     | http://ch1:8123
            jdbc:clickhouse://ch1:8443/logs?ssl=true        | https://ch1:8443
            JDBC:ClickHouse://ch1:8123/logs?SSL=FALSE       | http://ch1:8123
            jdbc:ch://[::1]:8123/logs                       | http://[::1]:8123
            """)
    void eachFormGivesTheHttpUrlTheClientConnectsTo(String url, String http) {
        assertThat(ClickHouseUrl.parse(url).httpUrl()).isEqualTo(http);
    }

    @Test
    void onlyTheJdbcFormNamesADatabase() {
        assertThat(ClickHouseUrl.parse("jdbc:clickhouse://ch1:8123/logs").database()).contains("logs");
        assertThat(ClickHouseUrl.parse("jdbc:ch://ch1:8123").database()).isEmpty();
        assertThat(ClickHouseUrl.parse("http://ch1:8123/logs").database()).as("an http path is a proxy's base path")
                .isEqualTo(Optional.empty());
    }

    @Test
    void theDatabaseSettingWinsOnlyWhenTheUrlNamesNoneOrTheSame() {
        ClickHouseUrl named = ClickHouseUrl.parse("jdbc:clickhouse://ch1:8123/logs");
        ClickHouseUrl unnamed = ClickHouseUrl.parse("http://ch1:8123");

        assertThat(named.database(null, "tagpipe")).isEqualTo("logs");
        assertThat(named.database("logs", "tagpipe")).isEqualTo("logs");
        assertThat(unnamed.database(null, "tagpipe")).isEqualTo("tagpipe");
        assertThat(unnamed.database("other", "tagpipe")).isEqualTo("other");
        assertThatThrownBy(() -> named.database("other", "tagpipe")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--clickhouse-url names database 'logs'").hasMessageContaining("--database is 'other'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''                                        | it is empty
            ch1:8123                                  | it has no scheme
            ftp://ch1:8123                            | unknown scheme 'ftp'
            tcp://ch1:9000                            | unknown scheme 'tcp'
            jdbc:mysql://ch1:3306/logs                | unknown scheme 'jdbc:mysql'
            http://:8123                              | missing host
            jdbc:clickhouse:///logs                   | missing host
            http://ch1                                | missing port
            jdbc:clickhouse://ch1/logs                | missing port
            http://ch1:http                           | bad port 'http'
            http://ch1:0                              | bad port '0'
            jdbc:clickhouse://ch1:65536               | bad port '65536'
            http://ch 1:8123                          | bad host 'ch 1'
            jdbc:clickhouse://ch1:8123/logs?compress=1 | unsupported parameter 'compress'
            jdbc:clickhouse://ch1:8123?ssl=yes        | ssl must be true or false, got 'yes'
            http://ch1:8123/?database=logs            | unsupported parameter 'database=logs'
            jdbc:clickhouse://ch1:8123/a/b            | the path must be a database name
            jdbc:clickhouse://ch1:8123/my-db          | the path must be a database name
            http://default:secret@ch1:8123            | credentials do not belong in the URL
            http://ch1:8123/#x                        | fragment
            """)
    void badUrlsAreAnErrorNamingTheSettingTheUrlAndTheProblem(String url, String problem) {
        assertThatThrownBy(() -> ClickHouseUrl.parse(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--clickhouse-url '" + url + "': ").hasMessageContaining(problem)
                .hasMessageContaining("jdbc:clickhouse://host:port[/database][?ssl=true]");
    }

    @Test
    void noUrlAtAllIsTheSameError() {
        assertThatThrownBy(() -> ClickHouseUrl.parse(null)).hasMessageStartingWith("--clickhouse-url '': it is empty");
    }

    @Test
    void theSinkTakesTheJdbcFormFromItsEnvironmentWithItsDatabase() {
        SinkConfig c = SinkConfig.fromEnv(Map.of("TAGPIPE_CLICKHOUSE_URL", "jdbc:ch://ch1:8443/logs?ssl=true")).build();

        assertThat(c.clickhouseUrl()).isEqualTo("https://ch1:8443");
        assertThat(c.database()).isEqualTo("logs");
        assertThat(SinkConfig.builder().build().database()).isEqualTo(SinkConfig.DEFAULT_DATABASE);
        assertThatThrownBy(() -> SinkConfig.fromEnv(Map.of("TAGPIPE_CLICKHOUSE_URL", "jdbc:ch://ch1:8123/logs",
                "TAGPIPE_CLICKHOUSE_DATABASE", "other")).build()).hasMessageContaining("names database 'logs'");
        assertThatThrownBy(() -> SinkConfig.builder().clickhouseUrl("jdbc:clickhouse://ch1").build())
                .hasMessageContaining("invalid sink configuration").hasMessageContaining("--clickhouse-url")
                .hasMessageContaining("missing port");
    }
}
