package io.tagpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import com.clickhouse.data.ClickHouseFormat;
import io.tagpipe.testkit.ClickHouseServer;
import io.tagpipe.testkit.RealServices;
import io.tagpipe.wire.Envelope;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Which insert format is fastest on this server (disabled unless {@code -Dtagpipe.bench=true}): the
 * same 300k logs rows pre-serialised as RowBinary, TabSeparated and JSONEachRow, inserted in 50k batches.
 */
@ExtendWith(RealServices.class)
@EnabledIfSystemProperty(named = "tagpipe.bench", matches = "true")
class FormatBenchIT {
    private static final int ROWS = 300_000;
    private static final int BATCH = 50_000;
    private static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Test
    void rowBinaryVersusTabSeparatedVersusJsonEachRow(ClickHouseServer ch) throws Exception {
        Clock clock = Clock.systemUTC();
        RecordMapper mapper = new RecordMapper(SinkTestSupport.CODEC, Set.of("kept"), 30, 90, clock);
        List<Row> rows = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            Envelope e = SinkTestSupport.kept("f-" + i, "app-" + (i % 20), clock.millis(), 30);
            rows.add((Row) mapper.map(new ConsumerRecord<>("kept", 0, i, null, SinkTestSupport.CODEC.encode(e))));
        }
        System.gc();
        for (ClickHouseFormat f : List.of(ClickHouseFormat.RowBinary, ClickHouseFormat.TabSeparated,
                ClickHouseFormat.JSONEachRow, ClickHouseFormat.RowBinary)) {
            List<byte[]> encoded = new ArrayList<>(ROWS);
            long t0 = System.nanoTime();
            for (Row r : rows) {
                encoded.add(switch (f) {
                    case RowBinary -> Table.LOGS.encode(r, Dialect.LEGACY);
                    case TabSeparated -> text(r, this::tsv, "\t", "", "\n");
                    default -> text(r, this::json, ",", "{", "}\n");
                });
            }
            double encodeS = (System.nanoTime() - t0) / 1e9;
            String db = RealServices.unique("fmt");
            try (ClickHouseStore store = new ClickHouseStore(ch.url(), "default", "", db, Duration.ofSeconds(120))) {
                store.ensureSchema();
                t0 = System.nanoTime();
                for (int i = 0; i < ROWS; i += BATCH) {
                    store.insertEncoded(Table.LOGS, encoded.subList(i, Math.min(ROWS, i + BATCH)), f);
                }
                double insertS = (System.nanoTime() - t0) / 1e9;
                System.out.printf("BENCH format %-12s encode %,.0f rows/s, insert %,.0f rows/s%n", f, ROWS / encodeS, ROWS / insertS);
            }
            assertThat(ch.queryLong("SELECT count() FROM " + db + ".logs")).isEqualTo(ROWS);
        }
    }

    private byte[] text(Row r, BiConsumer<StringBuilder, Object[]> field, String sep, String open, String close) {
        StringBuilder b = new StringBuilder(open);
        boolean first = true;
        for (Table.Column c : Table.LOGS.columns()) {
            Object v = c.value().apply(r);
            if (c.type() == ColumnType.ATTRS) {
                @SuppressWarnings("unchecked") Map<String, String> m = (Map<String, String>) v;
                b.append(first ? "" : sep);
                field.accept(b, new Object[] {"attrs.key", List.copyOf(m.keySet())});
                b.append(sep);
                field.accept(b, new Object[] {"attrs.value", List.copyOf(m.values())});
            } else {
                b.append(first ? "" : sep);
                field.accept(b, new Object[] {c.name(), c.type() == ColumnType.TIME ? DT.format(Instant.ofEpochMilli((Long) v)) : v});
            }
            first = false;
        }
        return b.append(close).toString().getBytes(StandardCharsets.UTF_8);
    }

    private void tsv(StringBuilder b, Object[] nv) {
        Object v = nv[1];
        if (v instanceof List<?> l) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                b.append(i == 0 ? "" : ",").append(Sql.literal(String.valueOf(l.get(i))).replace("\t", "\\t"));
            }
            b.append(']');
        } else {
            String s = v == null ? "" : String.valueOf(v);
            b.append(s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n"));
        }
    }

    private void json(StringBuilder b, Object[] nv) {
        b.append('"').append(nv[0]).append("\":");
        Object v = nv[1];
        if (v instanceof List<?> l) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                b.append(i == 0 ? "" : ",").append(quote(String.valueOf(l.get(i))));
            }
            b.append(']');
        } else if (v instanceof Number n) {
            b.append(n);
        } else {
            b.append(quote(v == null ? "" : String.valueOf(v)));
        }
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
