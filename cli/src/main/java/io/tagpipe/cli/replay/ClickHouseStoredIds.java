package io.tagpipe.cli.replay;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.tagpipe.cli.report.ClickHouseReads;
import io.tagpipe.cli.report.ReportQuery;
import io.tagpipe.cli.report.ReportReader;

/** The ids of an app's rows in the sink's logs and metrics tables, through the sink's client (every server version). */
public final class ClickHouseStoredIds implements StoredIds {
    /** Ids per query: keeps each SELECT well under the servers' default max_query_size. */
    static final int IDS_PER_QUERY = 2_000;
    private final ClickHouseReads clickhouse;
    private final String database;

    /** Checks at once that the sink's tables exist, so a wrong database fails before Kafka is read. */
    public ClickHouseStoredIds(ClickHouseReads clickhouse, String database) {
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ReplayException("--database must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*), got '" + database + "'");
        }
        this.clickhouse = clickhouse;
        this.database = database;
        ReportReader.requireSinkTables(clickhouse, database);
    }

    @Override
    public boolean knowsApp(String app) {
        List<String[]> rows = clickhouse.rows("SELECT count() FROM " + table("ingest_stats") + " WHERE app = "
                + ReportQuery.quote(app));
        return !rows.isEmpty() && Long.parseLong(rows.get(0)[0]) > 0;
    }

    @Override
    public Set<String> stored(String app, Collection<String> ids) {
        Set<String> out = new HashSet<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += IDS_PER_QUERY) {
            String in = String.join(", ", all.subList(from, Math.min(all.size(), from + IDS_PER_QUERY)).stream()
                    .map(ReportQuery::quote).toList());
            String where = " WHERE app = " + ReportQuery.quote(app) + " AND id IN (" + in + ")";
            for (String[] r : clickhouse.rows("SELECT id FROM " + table("logs") + where + " UNION ALL SELECT id FROM "
                    + table("metrics") + where)) {
                out.add(r[0]);
            }
        }
        return out;
    }

    private String table(String name) {
        return "`" + database + "`.`" + name + "`";
    }
}
