"""Envelope v1, the JSON every tagpipe record is (field names and order as Java's ``EnvelopeCodec``).

Absent fields are omitted, never written as null; ``attrs`` is an object of string to string.
"""
from __future__ import annotations

import json
import math
import os
import random
from typing import Any, Dict, Mapping, Optional

VERSION = 1
KIND_LOG = "log"
KIND_METRIC = "metric"

# Python's level names folded into the names Java and the processor use (io.tagpipe.wire.Level).
_LEVELS = {"WARNING": "WARN", "CRITICAL": "FATAL", "FATAL": "FATAL", "WARN": "WARN", "ERROR": "ERROR",
           "INFO": "INFO", "DEBUG": "DEBUG", "TRACE": "TRACE", "NOTSET": "TRACE"}

# The Java collector's caps on attrs (TagpipeSender.MAX_ATTRS, MAX_ATTR_KEY_CHARS, MAX_ATTR_VALUE_CHARS).
MAX_ATTRS = 64
MAX_ATTR_KEY_CHARS = 128
MAX_ATTR_VALUE_CHARS = 1024

_ORDER = ("v", "id", "app", "app_source", "kind", "ts", "host", "level", "logger", "thread", "message",
          "exception", "name", "value", "unit", "type", "trace_id", "span_id", "attrs")


def level_name(levelname: str, levelno: int) -> str:
    """``WARNING`` → ``WARN``, ``CRITICAL`` → ``FATAL``; a custom level by its number."""
    known = _LEVELS.get(levelname)
    if known:
        return known
    for limit, name in ((10, "TRACE"), (20, "DEBUG"), (30, "INFO"), (40, "WARN"), (50, "ERROR")):
        if levelno < limit:
            return name
    return "FATAL"


def uuid7(ts_ms: int, rng: random.Random) -> str:
    """A UUIDv7 (RFC 9562): 48-bit millisecond time, then random bits — time-ordered ids."""
    value = ((ts_ms & 0xFFFFFFFFFFFF) << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64) \
        | (0b10 << 62) | rng.getrandbits(62)
    h = "%032x" % value
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def new_rng() -> random.Random:
    return random.Random(os.urandom(16))


def build(record_id: str, app: str, app_source: str, kind: str, ts: int, **fields: Any) -> Dict[str, Any]:
    """The envelope as an ordered dict; ``None`` fields and empty ``attrs`` are left out."""
    env: Dict[str, Any] = {"v": VERSION, "id": record_id, "app": app, "app_source": app_source,
                           "kind": kind, "ts": int(ts)}
    attrs: Dict[str, str] = dict(fields.pop("attrs", None) or {})
    value = fields.get("value")
    if value is not None:
        value = float(value)
        if not math.isfinite(value):  # JSON has no NaN/Infinity: keep the record, say what it was
            attrs["value_raw"] = repr(value)
            value = None
        fields["value"] = value
    for key in _ORDER[6:-1]:
        v = fields.get(key)
        if v is not None:
            env[key] = v
    if attrs:
        env["attrs"] = capped_attrs(attrs)
    return env


def cap(text: Optional[str], max_chars: int) -> Optional[str]:
    """``text`` cut to ``max_chars`` with the Java collector's visible marker, ``…[truncated N chars]``."""
    if text is None or len(text) <= max_chars:
        return text
    return text[:max_chars] + "…[truncated %d chars]" % (len(text) - max_chars)


def capped_attrs(attrs: Mapping[Any, Any]) -> Dict[str, str]:
    """At most ``MAX_ATTRS`` entries, keys and values as text and capped; ``None`` values are left out."""
    out: Dict[str, str] = {}
    for k, v in attrs.items():
        if len(out) >= MAX_ATTRS:
            break
        if k is not None and v is not None:
            out[cap(_text(k), MAX_ATTR_KEY_CHARS)] = cap(_text(v), MAX_ATTR_VALUE_CHARS)
    return out


def encode(envelope: Mapping[str, Any]) -> bytes:
    # backslashreplace: a lone surrogate (undecodable bytes from os/fs APIs) becomes a JSON \\udcxx
    # escape instead of an exception on the sending thread.
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "backslashreplace")


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except Exception:  # a broken __str__ in user data must not lose the record
        return "<unprintable %s>" % type(value).__name__


def text_or_none(value: Any) -> Optional[str]:
    return None if value is None else _text(value)
