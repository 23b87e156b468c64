"""The sizing settings both collectors read: ``TAGPIPE_QUEUE_CAPACITY`` and ``TAGPIPE_MAX_MESSAGE_CHARS``.

Names, defaults and checks are the Java collector's (``SenderBuilder``): an explicit argument wins,
then the environment variable (blank = unset), then the default; a value that is not an integer or
is out of range raises ``ValueError`` at construction, with every problem listed.
"""
from __future__ import annotations

import os
import re
from typing import Any, List, Mapping, Optional, Tuple

DEFAULT_QUEUE_CAPACITY = 8192            # SenderBuilder.DEFAULT_QUEUE_CAPACITY
DEFAULT_MAX_MESSAGE_CHARS = 16 * 1024    # SenderBuilder.DEFAULT_MAX_MESSAGE_CHARS
MIN_MAX_MESSAGE_CHARS = 64
QUEUE_CAPACITY_ENV = "TAGPIPE_QUEUE_CAPACITY"
MAX_MESSAGE_CHARS_ENV = "TAGPIPE_MAX_MESSAGE_CHARS"

_INTEGER = re.compile(r"[+-]?[0-9]+")   # what Java's Integer.parseInt takes (no "1_000", no "1e3")


def sizes(queue_size: Any = None, max_message_chars: Any = None,
          env: Optional[Mapping[str, str]] = None) -> Tuple[int, int]:
    """``(queue capacity, max message chars)`` from the arguments, else the environment, else the defaults."""
    env = os.environ if env is None else env
    problems: List[str] = []
    capacity = _integer("queue_size", queue_size, QUEUE_CAPACITY_ENV, DEFAULT_QUEUE_CAPACITY, env, problems)
    max_chars = _integer("max_message_chars", max_message_chars, MAX_MESSAGE_CHARS_ENV,
                         DEFAULT_MAX_MESSAGE_CHARS, env, problems)
    if capacity is not None and capacity < 1:
        problems.append("queue_size must be at least 1, got %d" % capacity)
    if max_chars is not None and max_chars < MIN_MAX_MESSAGE_CHARS:
        problems.append("max_message_chars must be at least %d, got %d" % (MIN_MAX_MESSAGE_CHARS, max_chars))
    if problems:
        raise ValueError("invalid tagpipe collector configuration: " + "; ".join(problems))
    return capacity, max_chars


def _integer(arg: str, explicit: Any, var: str, default: int, env: Mapping[str, str],
             problems: List[str]) -> Optional[int]:
    if explicit is not None:
        if isinstance(explicit, int) and not isinstance(explicit, bool):
            return explicit
        if isinstance(explicit, str) and _INTEGER.fullmatch(explicit.strip()):
            return int(explicit.strip())   # dictConfig from a YAML/INI file may hand over text
        problems.append("%s must be an integer, got %r" % (arg, explicit))
        return None
    raw = env.get(var)
    if raw is None or not raw.strip():
        return default
    if _INTEGER.fullmatch(raw.strip()):
        return int(raw.strip())
    problems.append("%s must be an integer, got '%s'" % (var, raw))
    return None
