package com.acme.services.search.indexer;

import com.acme.libs.traffic.Traffic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Sample app "search-indexer": the noisy one, mostly DEBUG, fast enough to hit its rate limit. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger("com.acme.search.indexer.Indexer");

    public static void main(String[] args) {
        Traffic t = Traffic.fromSystemProperties(600, 3);
        long doc = 0;
        while (t.next()) {
            doc++;
            MDC.put("shard", "s" + (doc % 8));
            LOG.debug("tokenized doc {} ({} terms)", doc, 20 + t.nextInt(400));
            if (doc % 4 == 0) {
                LOG.info("indexed doc {}", doc);
            }
            if (t.chance(0.002)) {
                LOG.warn("doc {} skipped: unsupported encoding", doc);
            }
            MDC.remove("shard");
        }
    }
}
