"""The direct API: one labelled connection to ``tagpipe.records`` for logs and metrics.

Configuration errors raise here, at construction; the emit methods never raise into the app.
"""
from __future__ import annotations

import atexit
import os
import socket
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, Mapping, Optional

from . import envelope
from .identity import Identity, resolve
from .sender import DROPPED_METRIC, Sender
from .settings import sizes
from .tracing import otel_current_ids

DEFAULT_TOPIC = "tagpipe.records"
DEFAULT_BOOTSTRAP = "localhost:9092"


def _properties_file(path: str) -> Dict[str, str]:
    """``key=value`` lines of a Java-style .properties file (``#``/``!`` comments), as the Java collector reads."""
    out: Dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line[0] in "#!":
                continue
            key, sep, value = line.partition("=")
            if not sep:
                key, _, value = line.partition(":")
            out[key.strip()] = value.strip()
    return out


def _producer_config(bootstrap: str, app: str, extra: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    config: Dict[str, Any] = {
        "bootstrap.servers": bootstrap,
        "client.id": "tagpipe-collector-" + app,
        "linger.ms": 20,
        "compression.type": "lz4",
        "acks": "all",
        # A lost broker is retried at least every 2 s, so sending resumes soon after it is back.
        "reconnect.backoff.max.ms": 2000,
    }
    # TAGPIPE_KAFKA_CONFIG: the same SASL/TLS settings file the Java collector and tagpipe's programs
    # read (librdkafka names: security.protocol, sasl.mechanism, sasl.username, ssl.ca.location …);
    # explicit producer_config wins. A missing file fails the constructor, like Java's build().
    path = os.environ.get("TAGPIPE_KAFKA_CONFIG")
    if path:
        config.update(_properties_file(path))
    config.update(extra or {})
    return config


class Collector:
    """Sends log and metric records labelled with this process's app.

    ``app`` overrides detection (see README "How labels are derived"); ``producer_config`` is
    merged into the librdkafka settings (security.protocol, sasl.*, ssl.* …). ``queue_size`` and
    ``max_message_chars`` default to ``TAGPIPE_QUEUE_CAPACITY`` / ``TAGPIPE_MAX_MESSAGE_CHARS``,
    else 8192 / 16384, as in the Java collector.
    """

    def __init__(self, bootstrap_servers: Optional[str] = None, app: Optional[str] = None,
                 topic: str = DEFAULT_TOPIC, queue_size: Optional[int] = None,
                 producer_config: Optional[Mapping[str, Any]] = None, atexit_timeout: float = 5.0,
                 identity: Optional[Identity] = None, clock: Callable[[], float] = time.time,
                 producer_factory: Optional[Callable[[Dict[str, Any]], Any]] = None,
                 max_message_chars: Optional[int] = None):
        if not topic:
            raise ValueError("topic must not be empty")
        capacity, self.max_message_chars = sizes(queue_size, max_message_chars)
        bootstrap = bootstrap_servers or os.environ.get("TAGPIPE_BOOTSTRAP_SERVERS") or DEFAULT_BOOTSTRAP
        self.identity = identity or resolve(explicit=app)
        self.host = socket.gethostname()
        self._clock = clock
        self._rng = envelope.new_rng()
        self._trace_ids = otel_current_ids()
        config = _producer_config(bootstrap, self.identity.app, producer_config)
        factory = producer_factory or _confluent_producer
        self._sender = Sender(lambda: factory(config), topic, self.identity.app.encode("utf-8"),
                              capacity, self._encode, self._drop_report)
        self._atexit_timeout = atexit_timeout
        atexit.register(self._at_exit)

    # ---- logs --------------------------------------------------------------------------------

    def log(self, level: str, message: str, logger: str = "app", attrs: Optional[Mapping[str, Any]] = None,
            exception: Optional[str] = None, trace_id: Optional[str] = None,
            span_id: Optional[str] = None) -> bool:
        """Queues one log record; ``False`` when it was dropped (queue full)."""
        if trace_id is None and span_id is None:
            trace_id, span_id = self._current_trace()
        return self.send_log(self._now_ms(), envelope.level_name(str(level).upper(), 0), logger,
                             threading.current_thread().name, message, exception, trace_id, span_id, attrs)

    def send_log(self, ts_ms: int, level: str, logger: str, thread: str, message: Any, exception: Optional[str],
                 trace_id: Optional[str], span_id: Optional[str], attrs: Optional[Mapping[str, Any]]) -> bool:
        return self._sender.offer((envelope.KIND_LOG, ts_ms, {
            "level": level, "logger": logger, "thread": thread, "message": envelope.text_or_none(message),
            "exception": exception, "trace_id": trace_id, "span_id": span_id, "attrs": attrs}))

    # ---- metrics -----------------------------------------------------------------------------

    def counter(self, name: str, value: float = 1, unit: Optional[str] = None,
                attrs: Optional[Mapping[str, Any]] = None) -> bool:
        return self._metric("counter", name, value, unit, attrs)

    def gauge(self, name: str, value: float, unit: Optional[str] = None,
              attrs: Optional[Mapping[str, Any]] = None) -> bool:
        return self._metric("gauge", name, value, unit, attrs)

    def timer(self, name: str, millis: float, attrs: Optional[Mapping[str, Any]] = None) -> bool:
        return self._metric("timer", name, millis, "ms", attrs)

    @contextmanager
    def timed(self, name: str, attrs: Optional[Mapping[str, Any]] = None) -> Iterator[None]:
        """``with collector.timed("db.query"):`` sends a timer of the block's duration in ms."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timer(name, (time.perf_counter() - start) * 1000.0, attrs)

    def _metric(self, type_: str, name: str, value: Any, unit: Optional[str],
                attrs: Optional[Mapping[str, Any]]) -> bool:
        try:
            number = float(value)
        except (TypeError, ValueError):
            number, attrs = None, dict(attrs or {}, value_raw=envelope.text_or_none(value))
        return self._sender.offer((envelope.KIND_METRIC, self._now_ms(), {
            "name": name, "value": number, "unit": unit, "type": type_, "attrs": attrs}))

    # ---- lifecycle ---------------------------------------------------------------------------

    def flush(self, timeout: float = 10.0) -> bool:
        """Waits until everything queued so far is delivered (or failed); ``False`` on timeout."""
        return self._sender.flush(timeout)

    def close(self, timeout: float = 10.0) -> bool:
        """Sends what is queued within ``timeout`` and stops; later records are dropped and counted."""
        atexit.unregister(self._at_exit)
        return self._sender.close(timeout)

    def dropped(self) -> Dict[str, int]:
        """Records dropped since start, by reason (``queue_full``, ``buffer_full``, ``delivery_failed`` …)."""
        return self._sender.dropped()

    def pending(self) -> int:
        return self._sender.pending()

    def is_sender_thread(self) -> bool:
        return getattr(self._sender, "worker_ident", None) == threading.get_ident()

    def _at_exit(self) -> None:
        self._sender.close(self._atexit_timeout)

    # ---- worker side: build and encode (off the caller's thread) ------------------------------

    def _encode(self, item: Any) -> bytes:
        kind, ts, fields = item
        if kind == envelope.KIND_LOG:  # capped here, on the worker: the caller only queued a tuple
            fields = dict(fields, message=envelope.cap(fields["message"], self.max_message_chars),
                          exception=envelope.cap(fields["exception"], self.max_message_chars))
        ident = self.identity
        env = envelope.build(envelope.uuid7(ts, self._rng), ident.app, ident.source, kind, ts,
                             host=self.host, **fields)
        return envelope.encode(env)

    def _drop_report(self, total: int, reasons: Dict[str, int]) -> Any:
        return (envelope.KIND_METRIC, self._now_ms(), {
            "name": DROPPED_METRIC, "value": total, "unit": "records", "type": "counter",
            "attrs": {"reason." + r: str(n) for r, n in sorted(reasons.items())}})

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    def _current_trace(self):
        try:
            return self._trace_ids()
        except Exception:
            return None, None


def _confluent_producer(config: Dict[str, Any]) -> Any:
    from confluent_kafka import Producer
    from .rdkafka_log import quiet_logger

    # librdkafka's log lines go to our own logger, which is outside the logging hierarchy: they can
    # never reach a TagpipeHandler on the root logger and loop back into Kafka.
    return Producer(dict(config), logger=quiet_logger())
