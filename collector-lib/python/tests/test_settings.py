"""TAGPIPE_QUEUE_CAPACITY / TAGPIPE_MAX_MESSAGE_CHARS: the Java collector's names, defaults and checks."""
import logging
import os
import re

import pytest

from conftest import REPO_ROOT
from fakes import FakeProducer, attach
from tagpipe_collector import Collector, TagpipeHandler
from tagpipe_collector import settings
from tagpipe_collector.identity import Identity

from tagpipe_collector import envelope

JAVA_SOURCES = os.path.join(REPO_ROOT, "collector-lib", "src", "main", "java", "io", "tagpipe", "collector")


def java_constant(name, java_class="SenderBuilder"):
    """An int constant of the Java collector, written as a number or a product (``16 * 1024``)."""
    with open(os.path.join(JAVA_SOURCES, java_class + ".java"), encoding="utf-8") as f:
        expr = re.search(r"\b%s\s*=\s*([0-9 *]+);" % name, f.read()).group(1)
    value = 1
    for factor in expr.split("*"):
        value *= int(factor)
    return value


def collector(producer, **kwargs):
    return Collector(identity=Identity("a", "env"), producer_factory=lambda cfg: producer, **kwargs)


def queued_until_full(c):
    """How many records the queue takes with the worker held back (so nothing drains)."""
    c._sender._thread = "held"
    n = 0
    while c.log("INFO", "m%d" % n):
        n += 1
    c._sender._thread = None
    return n


@pytest.fixture
def env(monkeypatch):
    for var in (settings.QUEUE_CAPACITY_ENV, settings.MAX_MESSAGE_CHARS_ENV):
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def test_defaults_are_the_java_collectors():
    assert settings.DEFAULT_QUEUE_CAPACITY == java_constant("DEFAULT_QUEUE_CAPACITY")
    assert settings.DEFAULT_MAX_MESSAGE_CHARS == java_constant("DEFAULT_MAX_MESSAGE_CHARS")
    assert settings.sizes(env={}) == (settings.DEFAULT_QUEUE_CAPACITY, settings.DEFAULT_MAX_MESSAGE_CHARS)


def test_environment_sets_the_queue_capacity_and_an_argument_wins(env):
    env.setenv("TAGPIPE_QUEUE_CAPACITY", " 3 ")
    c = collector(FakeProducer())
    try:
        assert queued_until_full(c) == 3
        assert c.dropped() == {"queue_full": 1}
    finally:
        c.close(1)
    c = collector(FakeProducer(), queue_size=5)
    try:
        assert queued_until_full(c) == 5
    finally:
        c.close(1)


def test_environment_sets_the_message_cap_for_message_and_exception(env):
    env.setenv("TAGPIPE_MAX_MESSAGE_CHARS", "100")
    producer = FakeProducer()
    c = collector(producer)
    log = attach(TagpipeHandler(collector=c), "test.settings.cap")
    try:
        log.info("x" * 10_000)
        try:
            raise ValueError("y" * 10_000)
        except ValueError:
            log.exception("short")
        assert c.flush(5)
        big, failed = producer.envelopes()
        assert big["message"] == "x" * 100 + "…[truncated 9900 chars]"
        assert failed["message"] == "short"
        assert len(failed["exception"]) < 200 and failed["exception"].startswith("Traceback")
        assert failed["exception"].endswith(" chars]")
    finally:
        c.close(1)
        log.handlers.clear()


def test_a_blank_variable_means_the_default(env):
    env.setenv("TAGPIPE_QUEUE_CAPACITY", "  ")
    env.setenv("TAGPIPE_MAX_MESSAGE_CHARS", "")
    assert settings.sizes() == (settings.DEFAULT_QUEUE_CAPACITY, settings.DEFAULT_MAX_MESSAGE_CHARS)


def test_bad_values_raise_at_construction_with_every_problem(env):
    env.setenv("TAGPIPE_QUEUE_CAPACITY", "lots")
    env.setenv("TAGPIPE_MAX_MESSAGE_CHARS", "1e3")
    with pytest.raises(ValueError) as e:
        collector(FakeProducer())
    assert "TAGPIPE_QUEUE_CAPACITY must be an integer, got 'lots'" in str(e.value)
    assert "TAGPIPE_MAX_MESSAGE_CHARS must be an integer, got '1e3'" in str(e.value)
    with pytest.raises(ValueError) as e:
        TagpipeHandler(app="a", queue_size=0, max_message_chars=10)
    assert "queue_size must be at least 1, got 0" in str(e.value)
    assert "max_message_chars must be at least 64, got 10" in str(e.value)
    env.setenv("TAGPIPE_QUEUE_CAPACITY", "-1")
    with pytest.raises(ValueError, match="queue_size must be at least 1, got -1"):
        collector(FakeProducer())


def test_text_arguments_from_a_config_file_are_read_as_integers(env):
    assert settings.sizes(queue_size="50", max_message_chars=" 64 ") == (50, 64)
    with pytest.raises(ValueError, match="queue_size must be an integer, got '1_000'"):
        settings.sizes(queue_size="1_000")
    with pytest.raises(ValueError, match="queue_size must be an integer, got True"):
        settings.sizes(queue_size=True)


def test_attr_caps_are_the_java_collectors():
    for name in ("MAX_ATTRS", "MAX_ATTR_KEY_CHARS", "MAX_ATTR_VALUE_CHARS"):
        assert getattr(envelope, name) == java_constant(name, "TagpipeSender"), name


def test_attrs_are_capped(env):
    producer = FakeProducer()
    c = collector(producer)
    try:
        c.log("INFO", "m", attrs=dict({"huge": "v" * 5000, "k" * 500: 1, "none": None},
                                       **{"f%03d" % i: i for i in range(200)}))
        assert c.flush(5)
        [e] = producer.envelopes()
        attrs = e["attrs"]
        assert len(attrs) == envelope.MAX_ATTRS and "none" not in attrs
        assert attrs["huge"] == "v" * envelope.MAX_ATTR_VALUE_CHARS + "…[truncated %d chars]" % (
            5000 - envelope.MAX_ATTR_VALUE_CHARS)
        assert "k" * envelope.MAX_ATTR_KEY_CHARS + "…[truncated %d chars]" % (500 - envelope.MAX_ATTR_KEY_CHARS) in attrs
    finally:
        c.close(1)
