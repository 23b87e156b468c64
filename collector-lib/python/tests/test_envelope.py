"""Envelope v1 fields as Java's EnvelopeCodec writes and reads them."""
import json
import random
import re

from tagpipe_collector import envelope

# Field names EnvelopeCodec.encode writes, in its order (io.tagpipe.wire.EnvelopeCodec).
JAVA_FIELDS = ["v", "id", "app", "app_source", "kind", "ts", "host", "level", "logger", "thread", "message",
               "exception", "name", "value", "unit", "type", "trace_id", "span_id", "attrs"]


def test_all_fields_in_java_order_and_types():
    env = envelope.build("id-1", "billing-api", "script", "log", 1700000000123, host="h", level="WARN",
                         logger="l", thread="t", message="m", exception="tb", name="n", value=2, unit="ms",
                         type="timer", trace_id="a" * 32, span_id="b" * 16, attrs={"user": 7})
    decoded = json.loads(envelope.encode(env))
    assert list(decoded) == JAVA_FIELDS
    assert decoded["v"] == 1 and decoded["ts"] == 1700000000123 and isinstance(decoded["ts"], int)
    assert decoded["value"] == 2.0 and isinstance(decoded["value"], float)
    assert decoded["attrs"] == {"user": "7"}


def test_absent_fields_are_omitted_not_null():
    raw = envelope.encode(envelope.build("i", "a", "env", "metric", 1, name="c", value=1, message=None, attrs={}))
    assert b"null" not in raw
    assert list(json.loads(raw)) == ["v", "id", "app", "app_source", "kind", "ts", "name", "value"]


def test_non_finite_value_is_kept_as_attr_not_invalid_json():
    decoded = json.loads(envelope.encode(envelope.build("i", "a", "env", "metric", 1, value=float("nan"))))
    assert "value" not in decoded and decoded["attrs"] == {"value_raw": "nan"}


def test_lone_surrogate_does_not_break_encoding():
    raw = envelope.encode(envelope.build("i", "a", "env", "log", 1, message="bad \udcff byte"))
    assert json.loads(raw.decode("utf-8"))["message"] == "bad \udcff byte"


def test_non_ascii_is_utf8():
    raw = envelope.encode(envelope.build("i", "a", "env", "log", 1, message="größe ✓"))
    assert "größe ✓".encode("utf-8") in raw


def test_python_levels_fold_to_java_names():
    assert envelope.level_name("WARNING", 30) == "WARN"
    assert envelope.level_name("CRITICAL", 50) == "FATAL"
    assert envelope.level_name("INFO", 20) == "INFO"
    assert envelope.level_name("Level 15", 15) == "DEBUG"
    assert envelope.level_name("NOTICE", 25) == "INFO"
    assert envelope.level_name("TRACE", 5) == "TRACE"


def test_uuid7_is_versioned_and_time_ordered():
    rng = random.Random(1)
    ids = [envelope.uuid7(ts, rng) for ts in (1000, 1001, 2 ** 40)]
    for i in ids:
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", i), i
    assert ids == sorted(ids)
    assert int(ids[0].replace("-", "")[:12], 16) == 1000
    assert len({envelope.uuid7(5, rng) for _ in range(1000)}) == 1000
