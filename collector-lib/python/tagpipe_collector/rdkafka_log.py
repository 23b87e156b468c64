"""Where librdkafka's own log lines go: stderr, rate-limited, never into the logging tree."""
from __future__ import annotations

import logging
import sys
import time
from typing import Dict


class _RateLimit(logging.Filter):
    """At most one line per (facility, level) every ``every_s`` seconds: a dead broker logs a
    connection failure per retry, which must not flood the app's stderr."""

    def __init__(self, every_s: float = 60.0):
        super().__init__()
        self._every_s = every_s
        self._last: Dict[tuple, float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.levelno, record.args[0] if isinstance(record.args, tuple) and record.args else record.msg)
        now = time.monotonic()
        if now - self._last.get(key, float("-inf")) < self._every_s:
            return False
        self._last[key] = now
        return True


def quiet_logger() -> logging.Logger:
    # Constructed directly, not via logging.getLogger: it has no parent, so nothing propagates to
    # the root logger (where a TagpipeHandler may sit).
    logger = logging.Logger("tagpipe_collector.librdkafka", logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("tagpipe-collector: librdkafka %(levelname)s %(message)s"))
    handler.addFilter(_RateLimit())
    logger.addHandler(handler)
    logger.propagate = False
    return logger
