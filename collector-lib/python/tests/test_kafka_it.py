"""Integration: real Python processes send to the project's real KRaft broker; checked from the topic."""
import json
import logging
import os
import re
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid

import pytest

from fakes import attach, timed_info_calls
from confluent_kafka import Consumer

from conftest import PY_ROOT, REPO_ROOT
from kafka_broker import KafkaBroker, tools_missing
from tagpipe_collector import TagpipeHandler

APP_CODE = textwrap.dedent('''
    import logging, logging.config, os
    logging.config.dictConfig({
        "version": 1,
        "handlers": {"tagpipe": {"()": "tagpipe_collector.TagpipeHandler",
                                 "bootstrap_servers": os.environ["IT_BOOTSTRAP"], "topic": os.environ["IT_TOPIC"]}},
        "root": {"handlers": ["tagpipe"], "level": "INFO"},
    })
    log = logging.getLogger("it." + __name__)
    log.info("started", extra={"order": 7})
    log.warning("slow %s", "db")
    try:
        1 / 0
    except ZeroDivisionError:
        log.exception("failed")
    logging.getLogger("it").handlers or logging.getLogger().handlers[0].collector.counter("jobs.done", 3)
    # no flush here: the atexit/logging shutdown path must deliver what is queued
''')


@pytest.fixture(scope="module")
def broker():
    missing = tools_missing()
    if missing:
        pytest.skip("integration test needs %s on PATH to run the real Kafka broker" % " and ".join(missing))
    with tempfile.TemporaryDirectory(prefix="tagpipe-py-it-") as work:
        b = KafkaBroker(REPO_ROOT, work)
        try:
            yield b.start()
        finally:
            b.stop()


def consume(bootstrap, topic, expected=None, timeout=90, done=None):
    """Records of ``topic`` until ``expected`` many were read (or ``done(records)`` is true)."""
    done = done or (lambda records: len(records) >= expected)
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "it-" + uuid.uuid4().hex,
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    records, deadline = [], time.monotonic() + timeout
    try:
        while not done(records) and time.monotonic() < deadline:
            for msg in consumer.consume(10000, 0.5):
                if msg.error() is None:
                    records.append((msg.key().decode(), json.loads(msg.value())))
    finally:
        consumer.close()
    return records


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def test_python_services_in_a_monorepo_send_labelled_envelopes(broker, tmp_path):
    topic = "it-records-" + uuid.uuid4().hex[:8]
    broker.create_topic(topic, 2)
    repo = tmp_path / "repo"
    write(str(repo / "services/billing/api/main.py"), APP_CODE)
    write(str(repo / "services/search/indexer/main.py"), APP_CODE)
    write(str(repo / "pkg/__init__.py"), "")
    write(str(repo / "pkg/worker.py"), APP_CODE)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TAGPIPE_", "OTEL_"))}
    env.update(PYTHONPATH=PY_ROOT, IT_BOOTSTRAP=broker.bootstrap, IT_TOPIC=topic)
    started = int(time.time() * 1000)
    for argv in (["services/billing/api/main.py"], ["services/search/indexer/main.py"], ["-m", "pkg.worker"]):
        done = subprocess.run([sys.executable] + argv, cwd=str(repo), env=env, timeout=120,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert done.returncode == 0, done.stdout.decode()

    records = consume(broker.bootstrap, topic, expected=12)
    by_app = {}
    for key, e in records:
        assert key == e["app"]
        by_app.setdefault((e["app"], e["app_source"]), []).append(e)
    assert sorted(by_app) == [("billing-api", "script"), ("search-indexer", "script"), ("worker", "module")]
    for (app, _), envs in by_app.items():
        logs = {e["message"]: e for e in envs if e["kind"] == "log"}
        assert sorted(logs) == ["failed", "slow db", "started"], app
        assert logs["started"]["attrs"] == {"order": "7"} and logs["started"]["level"] == "INFO"
        assert logs["slow db"]["level"] == "WARN"
        assert logs["failed"]["level"] == "ERROR"
        assert "Traceback" in logs["failed"]["exception"] and "ZeroDivisionError" in logs["failed"]["exception"]
        [metric] = [e for e in envs if e["kind"] == "metric"]
        assert (metric["name"], metric["value"], metric["type"]) == ("jobs.done", 3.0, "counter")
        for e in envs:
            assert e["v"] == 1 and e["host"] == socket.gethostname()
            assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", e["id"])
            assert started - 1000 <= e["ts"] <= int(time.time() * 1000)
            assert e.get("logger", "it.__main__") == "it.__main__" or e["logger"] == "it.pkg.worker"
    assert len({e["id"] for _, e in records}) == len(records) == 12


def test_logger_info_cost_with_the_broker_up_and_every_record_accounted_for(broker, capsys):
    topic = "it-bench-" + uuid.uuid4().hex[:8]
    broker.create_topic(topic, 4)
    calls = 100_000
    handler = TagpipeHandler(bootstrap_servers=broker.bootstrap, app="bench", topic=topic,
                             queue_size=int(os.environ.get("IT_BENCH_QUEUE", "10000")))
    log = attach(handler, "it.bench")
    try:
        durations = timed_info_calls(log, calls)
        assert handler.flush(60)
        dropped = handler.collector.dropped()
    finally:
        log.removeHandler(handler)
        handler.close(10)
    lost = sum(dropped.values())

    def split(records):
        # by message: without idempotence librdkafka may deliver a retried batch twice (at-least-once)
        logs = {e["message"] for _, e in records if e["kind"] == "log"}
        reported = sum(e["value"] for _, e in records if e.get("name") == "tagpipe.collector.dropped")
        return logs, reported

    def accounted(records):  # cheap check first: it runs after every poll
        if len(records) < calls - lost:
            return False
        logs, reported = split(records)
        return len(logs) + reported >= calls

    logs, reported = split(consume(broker.bootstrap, topic, timeout=120, done=accounted))
    # Every call is on the topic, or dropped, counted, and the count itself is on the topic.
    assert len(logs) + lost == calls, (len(logs), dropped)
    assert reported == lost
    durations.sort()
    with capsys.disabled():
        print("\n[broker up] %d logger.info calls: median %.2f us, p99 %.2f us, slowest %.2f ms; "
              "delivered %d, dropped %s" % (calls, durations[calls // 2] * 1e6, durations[int(calls * .99)] * 1e6,
                                           durations[-1] * 1e3, len(logs), dropped))


def test_kafka_cluster_ids_for_the_test_broker_never_look_like_an_option():
    from kafka_broker import _cluster_id
    ids = [_cluster_id() for _ in range(5000)]
    assert all(not i.startswith("-") and len(i) == 22 for i in ids)
