"""``logging.Handler`` that sends each record as an envelope v1 log record.

Usable from ``logging.config.dictConfig``::

    "tagpipe": {"()": "tagpipe_collector.TagpipeHandler", "bootstrap_servers": "kafka:9092"}
"""
from __future__ import annotations

import logging
import traceback
from typing import Any, Dict, Mapping, Optional

from . import envelope
from .collector import DEFAULT_TOPIC, Collector

# Attributes every LogRecord has; anything else came from ``extra=`` and goes to attrs.
_STANDARD = frozenset(logging.LogRecord("n", logging.INFO, "p", 1, "m", None, None).__dict__) | {
    "message", "asctime", "taskName", "stack_info", "exc_text"}
_TRACE_KEYS = ("trace_id", "span_id")
_OWN_LOGGERS = ("tagpipe_collector", "confluent_kafka")


class TagpipeHandler(logging.Handler):
    """Sends log records to Kafka through a :class:`Collector` (its own, or the one passed in).

    ``emit`` costs the building of a small tuple and a queue append; it never blocks and never
    raises: a full queue drops the record and counts it.
    """

    def __init__(self, bootstrap_servers: Optional[str] = None, app: Optional[str] = None,
                 topic: str = DEFAULT_TOPIC, queue_size: Optional[int] = None, level: Any = logging.NOTSET,
                 producer_config: Optional[Mapping[str, Any]] = None, collector: Optional[Collector] = None,
                 close_timeout: float = 5.0, max_message_chars: Optional[int] = None):
        # Build the collector first: logging registers a handler in __init__ and flushes it at exit, so
        # a bad config must fail before that, or every exit prints an AttributeError.
        self.collector = collector or Collector(bootstrap_servers=bootstrap_servers, app=app, topic=topic,
                                                queue_size=queue_size, producer_config=producer_config,
                                                max_message_chars=max_message_chars)
        self._close_timeout = close_timeout
        super().__init__(level)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if record.name.startswith(_OWN_LOGGERS) or self.collector.is_sender_thread():
                return  # our own or librdkafka's diagnostics: sending them would loop
            attrs, trace_id, span_id = _extras(record)
            if trace_id is None and span_id is None:
                trace_id, span_id = self.collector._current_trace()
            self.collector.send_log(
                int(record.created * 1000), envelope.level_name(record.levelname, record.levelno), record.name,
                record.threadName, record.getMessage(), _exception_text(record), trace_id, span_id, attrs)
        except Exception:
            self.handleError(record)  # logging's own policy: prints to stderr when raiseExceptions

    def flush(self, timeout: Optional[float] = None) -> bool:
        return self.collector.flush(self._close_timeout if timeout is None else timeout)

    def close(self, timeout: Optional[float] = None) -> None:
        try:
            self.collector.close(self._close_timeout if timeout is None else timeout)
        finally:
            super().close()


def _extras(record: logging.LogRecord):
    attrs: Dict[str, Any] = {}
    ids: Dict[str, Optional[str]] = {"trace_id": None, "span_id": None}
    for key, value in record.__dict__.items():
        if key in _STANDARD or key.startswith("_"):
            continue
        if key in _TRACE_KEYS:
            ids[key] = envelope.text_or_none(value)
        else:
            attrs[key] = value
    return attrs or None, ids["trace_id"], ids["span_id"]


def _exception_text(record: logging.LogRecord) -> Optional[str]:
    parts = []
    if record.exc_info and record.exc_info[0] is not None:
        parts.append("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    elif record.exc_text:
        parts.append(record.exc_text)
    if record.stack_info:
        parts.append(record.stack_info)
    return "\n".join(parts) or None
