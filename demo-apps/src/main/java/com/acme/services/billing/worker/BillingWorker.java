package com.acme.services.billing.worker;

import com.acme.libs.traffic.Traffic;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;

/** Sample app "billing-worker" (Log4j2): background jobs with retries. */
public final class BillingWorker {
    private static final Logger LOG = LogManager.getLogger("com.acme.billing.worker.InvoiceJob");

    public static void main(String[] args) {
        Traffic t = Traffic.fromSystemProperties(25, 2);
        int job = 0;
        while (t.next()) {
            job++;
            ThreadContext.put("trace_id", t.traceId());
            ThreadContext.put("span_id", t.spanId());
            ThreadContext.put("job", "invoice-" + job);
            try {
                LOG.debug("picked job {}", job);
                if (t.chance(0.08)) {
                    LOG.warn("job {} failed, retrying (attempt 2 of 3)", job);
                }
                if (t.chance(0.01)) {
                    LOG.error("job {} gave up", job, new RuntimeException("ledger locked"));
                } else {
                    LOG.info("job {} done", job);
                }
            } finally {
                ThreadContext.clearMap();
            }
        }
        LogManager.shutdown();
    }
}
