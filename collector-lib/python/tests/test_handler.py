"""The logging handler and the direct API against an in-memory producer (no network)."""
import logging
import logging.config
import threading

import pytest

from fakes import FakeProducer
from tagpipe_collector import Collector, TagpipeHandler
from tagpipe_collector.identity import Identity


@pytest.fixture
def producer():
    return FakeProducer()


@pytest.fixture
def collector(producer):
    c = Collector(identity=Identity("billing-api", "script"), producer_factory=lambda cfg: producer,
                  queue_size=100, clock=lambda: 1700000000.5)
    yield c
    c.close(2)


@pytest.fixture
def logger(collector):
    log = logging.getLogger("test.handler.%d" % id(collector))
    log.propagate = False
    log.setLevel(logging.DEBUG)
    handler = TagpipeHandler(collector=collector)
    log.addHandler(handler)
    yield log
    log.removeHandler(handler)


def sent(collector, producer):
    assert collector.flush(5)
    return producer.envelopes()


def test_log_record_becomes_an_envelope(logger, collector, producer):
    logger.warning("paid %s", 42, extra={"order": 7, "trace_id": "t" * 32, "span_id": "s" * 16})
    [e] = sent(collector, producer)
    assert e["app"] == "billing-api" and e["app_source"] == "script" and e["kind"] == "log"
    assert e["level"] == "WARN" and e["message"] == "paid 42" and e["logger"] == logger.name
    assert e["thread"] == threading.current_thread().name and e["host"]
    assert e["attrs"] == {"order": "7"}
    assert (e["trace_id"], e["span_id"]) == ("t" * 32, "s" * 16)
    assert producer.sent[0][0] == "tagpipe.records" and producer.sent[0][1] == b"billing-api"


def test_exception_carries_the_traceback(logger, collector, producer):
    try:
        {}["missing"]
    except KeyError:
        logger.exception("lookup failed")
    [e] = sent(collector, producer)
    assert e["level"] == "ERROR"
    assert "Traceback (most recent call last)" in e["exception"] and "KeyError: 'missing'" in e["exception"]
    assert "test_exception_carries_the_traceback" in e["exception"]


def test_critical_is_fatal_and_ts_is_the_call_time(logger, collector, producer):
    logger.critical("down")
    [e] = sent(collector, producer)
    assert e["level"] == "FATAL" and "exception" not in e and "attrs" not in e
    assert abs(e["ts"] - logging.LogRecord("x", 1, "", 0, "", None, None).created * 1000) < 5000


def test_metrics_api(collector, producer):
    collector.counter("orders", 3, attrs={"region": "eu"})
    collector.gauge("queue.depth", 12.5, unit="items")
    with collector.timed("db.query"):
        pass
    collector.gauge("broken", "not a number")
    es = sent(collector, producer)
    assert [(e["name"], e["type"], e.get("unit")) for e in es] == [
        ("orders", "counter", None), ("queue.depth", "gauge", "items"), ("db.query", "timer", "ms"),
        ("broken", "gauge", None)]
    assert es[0]["value"] == 3.0 and es[0]["attrs"] == {"region": "eu"} and es[0]["ts"] == 1700000000500
    assert es[2]["value"] >= 0 and es[3]["attrs"] == {"value_raw": "not a number"} and "value" not in es[3]


def test_full_queue_drops_counts_and_reports_when_sending_works_again(producer):
    producer.fail = True
    c = Collector(identity=Identity("a", "env"), producer_factory=lambda cfg: producer, queue_size=5)
    try:
        c._sender._thread = "held"   # keep the worker from draining: the queue fills deterministically
        results = [c.log("INFO", "m%d" % i) for i in range(8)]
        assert results == [True] * 5 + [False] * 3
        assert c.dropped() == {"queue_full": 3}
        c._sender._thread = None
        assert c.flush(5)             # starts the worker; deliveries fail while the broker is gone
        assert c.dropped() == {"queue_full": 3, "delivery_failed": 5}
        assert producer.sent == []
        producer.fail = False
        c.log("INFO", "back")
        assert c.flush(5)
        c.close(5)
        reports = [e for e in producer.envelopes() if e.get("name") == "tagpipe.collector.dropped"]
        assert [r["value"] for r in reports] == [8.0]
        assert reports[0]["attrs"] == {"reason.delivery_failed": "5", "reason.queue_full": "3"}
        assert reports[0]["type"] == "counter" and reports[0]["kind"] == "metric"
    finally:
        c.close(1)


def test_librdkafka_buffer_full_drops_and_counts(producer):
    producer.buffer_full = True
    c = Collector(identity=Identity("a", "env"), producer_factory=lambda cfg: producer, queue_size=10)
    try:
        assert c.log("INFO", "m")
        assert c.flush(5)
        assert c.dropped() == {"buffer_full": 1}
    finally:
        c.close(1)


def test_records_after_close_are_dropped_and_counted(collector):
    collector.close(1)
    assert collector.log("INFO", "late") is False
    assert collector.dropped() == {"closed": 1}


def test_own_and_librdkafka_loggers_never_loop(collector, producer):
    handler = TagpipeHandler(collector=collector)
    for name in ("tagpipe_collector.sender", "confluent_kafka"):
        handler.handle(logging.LogRecord(name, logging.ERROR, __file__, 1, "loop?", None, None))
    assert sent(collector, producer) == []


def test_dict_config_builds_the_handler():
    logging.config.dictConfig({
        "version": 1, "disable_existing_loggers": False,
        "handlers": {"tagpipe": {"()": "tagpipe_collector.TagpipeHandler", "bootstrap_servers": "127.0.0.1:1",
                                 "app": "Dict Configured", "queue_size": 50, "level": "INFO"}},
        "loggers": {"dictcfg": {"handlers": ["tagpipe"], "level": "DEBUG", "propagate": False}},
    })
    [handler] = logging.getLogger("dictcfg").handlers
    try:
        assert isinstance(handler, TagpipeHandler) and handler.level == logging.INFO
        assert handler.collector.identity == Identity("dict-configured", "explicit")
    finally:
        handler.close(0.1)
        logging.getLogger("dictcfg").removeHandler(handler)


def test_bad_configuration_raises_at_construction():
    with pytest.raises(ValueError, match="queue_size"):
        Collector(app="a", queue_size=0, producer_factory=lambda cfg: FakeProducer())
    with pytest.raises(ValueError, match="usable"):
        TagpipeHandler(app="***")
    with pytest.raises(Exception, match="no.such.setting"):
        Collector(app="a", producer_config={"no.such.setting": 1})


def test_failed_construction_leaves_no_half_built_handler_for_logging_shutdown():
    import subprocess
    import sys
    # A real interpreter exit runs logging.shutdown(), which flushes every handler ever constructed.
    script = ("from tagpipe_collector import TagpipeHandler\n"
              "try:\n    TagpipeHandler(app='***')\nexcept ValueError as e:\n    kept = e  # its traceback keeps the half-built handler alive\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={**__import__("os").environ, "PYTHONPATH": str(__import__("pathlib").Path(__file__).parents[1])})
    assert done.returncode == 0
    assert "AttributeError" not in done.stderr, done.stderr


def test_kafka_config_file_from_env_is_merged_and_explicit_settings_win(tmp_path, monkeypatch):
    props = tmp_path / "kafka.properties"
    props.write_text("# SASL for the collector\nsecurity.protocol=SASL_SSL\nsasl.mechanism = SCRAM-SHA-512\n"
                     "linger.ms=5\n", encoding="utf-8")
    monkeypatch.setenv("TAGPIPE_KAFKA_CONFIG", str(props))
    seen = {}

    def factory(cfg):
        seen.update(cfg)
        return FakeProducer()

    c = Collector(identity=Identity("a", "env"), producer_factory=factory, producer_config={"linger.ms": 50})
    try:
        c.log("INFO", "hello")
        assert c.flush(5.0)
    finally:
        c.close(1.0)
    assert seen["security.protocol"] == "SASL_SSL"
    assert seen["sasl.mechanism"] == "SCRAM-SHA-512"
    assert seen["linger.ms"] == 50


def test_missing_kafka_config_file_fails_at_construction(monkeypatch, tmp_path):
    monkeypatch.setenv("TAGPIPE_KAFKA_CONFIG", str(tmp_path / "nope.properties"))
    with pytest.raises(OSError):
        Collector(identity=Identity("a", "env"), producer_factory=lambda cfg: FakeProducer())
