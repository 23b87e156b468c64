package com.acme.services.billing.api;

import java.io.IOException;

import com.acme.libs.traffic.Traffic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Sample app "billing-api": HTTP-style requests, each a trace of several records; some fail. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger("com.acme.billing.api.PaymentController");

    public static void main(String[] args) {
        Traffic t = Traffic.fromSystemProperties(40, 1);
        int request = 0;
        while (t.next()) {
            request++;
            MDC.put("trace_id", t.traceId());
            MDC.put("span_id", t.spanId());
            MDC.put("route", t.chance(0.7) ? "POST /payments" : "GET /invoices");
            MDC.put("customer", "c-" + t.nextInt(500));
            try {
                LOG.info("request {} received", request);
                LOG.debug("validated payload of {} bytes", 200 + t.nextInt(2000));
                if (t.chance(0.05)) {
                    LOG.warn("payment provider slow: {} ms", 800 + t.nextInt(3000));
                }
                if (t.chance(0.01)) {
                    LOG.error("payment failed for request " + request,
                            new IllegalStateException("charge rejected", new IOException("connection reset by provider")));
                } else {
                    LOG.info("request {} done", request);
                }
            } finally {
                MDC.clear();
            }
        }
    }
}
