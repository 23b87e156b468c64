"""Sample Python service "search-api" of the tagpipe demo.

Laid out like a monorepo entrypoint (``services/search/api/main.py``), so the collector labels it
``search-api`` (app_source ``script``) with no configuration. Bootstrap servers come from
``TAGPIPE_BOOTSTRAP_SERVERS``; ``--rate`` (queries/s) and ``--duration`` (s) pace the traffic.
"""
import argparse
import logging
import logging.config
import random
import time
import uuid


def configure():
    logging.config.dictConfig({
        "version": 1,
        "handlers": {"tagpipe": {"()": "tagpipe_collector.TagpipeHandler"}},
        "root": {"handlers": ["tagpipe"], "level": "DEBUG"},
    })
    return logging.getLogger("search.api.handlers"), logging.getLogger().handlers[0].collector


def serve(rate, duration, log, metrics):
    rng = random.Random(5)
    interval, end, query = 1.0 / rate, time.time() + duration, 0
    next_at = time.time()
    while time.time() < end:
        query += 1
        trace = {"trace_id": uuid.uuid4().hex, "span_id": uuid.uuid4().hex[:16]}
        terms = rng.choice(["invoice", "refund", "customer 42", "late payment", "vat"])
        log.info("query %d: %r", query, terms, extra={**trace, "route": "GET /search"})
        log.debug("query %d planned over %d shards", query, 8, extra=trace)
        took = rng.uniform(2, 40)
        metrics.timer("search.query", took, attrs={"route": "GET /search"})
        if rng.random() < 0.02:
            try:
                raise TimeoutError("shard s%d did not answer within 30 ms" % rng.randrange(8))
            except TimeoutError:
                log.exception("query %d answered partially", query, extra=trace)
        next_at += interval
        time.sleep(max(0.0, next_at - time.time()))


def main():
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--rate", type=float, default=15.0)
    args.add_argument("--duration", type=float, default=60.0)
    opts = args.parse_args()
    log, metrics = configure()
    log.info("search-api started")
    serve(opts.rate, opts.duration, log, metrics)
    log.info("search-api stopping")
    logging.shutdown()


if __name__ == "__main__":
    main()
