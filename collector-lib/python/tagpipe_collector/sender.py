"""Bounded queue + one background thread that owns the Kafka producer.

The caller's cost is a length check and a deque append: it never waits for Kafka, a lock-holding
worker or a full buffer. What cannot be sent is dropped and counted by reason; the counts go out
as a ``tagpipe.collector.dropped`` metric once a delivery succeeds again. After ``os.fork()`` the
child gets a fresh queue, thread and producer (librdkafka's threads do not survive a fork).
"""
from __future__ import annotations

import collections
import os
import sys
import threading
import time
import weakref
from typing import Any, Callable, Dict, Optional

DROP_QUEUE_FULL = "queue_full"
DROP_BUFFER_FULL = "buffer_full"
DROP_DELIVERY_FAILED = "delivery_failed"
DROP_UNSENDABLE = "unsendable"
DROP_CLOSED = "closed"
DROPPED_METRIC = "tagpipe.collector.dropped"

_IDLE_POLL_S = 0.05   # worst extra latency of a record when the app logs rarely
_DRAIN_BATCH = 2000   # records produced between two polls of delivery reports
_REPORT_EVERY_S = 1.0


class Sender:
    def __init__(self, producer_factory: Callable[[], Any], topic: str, key: bytes, capacity: int,
                 encode: Callable[[Any], bytes], drop_report: Callable[[int, Dict[str, int]], Any],
                 monotonic: Callable[[], float] = time.monotonic):
        if capacity <= 0:
            raise ValueError("queue_size must be positive, got %r" % (capacity,))
        self._factory = producer_factory
        self._producer = producer_factory()  # at config time: a bad producer setting raises here
        self._orphans = []                    # producers inherited over fork: never destroyed in the child
        self._topic = topic
        self._key = key
        self._capacity = capacity
        self._encode = encode
        self._drop_report = drop_report
        self._monotonic = monotonic
        self._reset_state()
        if hasattr(os, "register_at_fork"):
            ref = weakref.ref(self)
            os.register_at_fork(after_in_child=lambda: ref() is not None and ref()._after_fork())

    def _reset_state(self) -> None:
        self._queue = collections.deque()
        self._lock = threading.Lock()
        self._progress = threading.Condition(self._lock)
        self._drops: Dict[str, int] = {}
        self._unreported: Dict[str, int] = {}
        self._healthy = False
        self._last_report = float("-inf")
        self._produced = 0
        self._draining = 0
        self._completed = 0
        self._stopping = False
        self._closed = False
        self._urgent = False
        self._close_deadline = 0.0
        self._thread: Optional[threading.Thread] = None

    # ---- caller side -------------------------------------------------------------------------

    def offer(self, item: Any) -> bool:
        """Queues ``item``; ``False`` (and counted) when the queue is full or the sender closed."""
        if self._thread is None:
            self._start()
        if len(self._queue) >= self._capacity or self._closed:
            self._count(DROP_CLOSED if self._closed else DROP_QUEUE_FULL, 1)
            return False
        self._queue.append(item)
        return True

    def flush(self, timeout: float) -> bool:
        """Waits until every queued record is delivered or failed; ``False`` on timeout."""
        deadline = self._monotonic() + max(0.0, timeout)
        if self._thread is None and self._queue and not self._closed:
            self._start()
        with self._progress:
            self._urgent = True
            try:
                while self.pending() > 0 and self._thread is not None and self._thread.is_alive():
                    left = deadline - self._monotonic()
                    if left <= 0:
                        return False
                    self._progress.wait(min(left, 0.05))
            finally:
                self._urgent = False
        return self.pending() == 0

    def close(self, timeout: float) -> bool:
        """Sends what is queued within ``timeout``, then stops; later records are dropped."""
        if self._closed:
            return self.pending() == 0
        self._close_deadline = self._monotonic() + max(0.0, timeout)
        self._closed = True
        self._stopping = True
        thread = self._thread
        if thread is not None:
            thread.join(max(0.0, timeout) + 0.5)
        else:
            self._producer.flush(max(0.0, timeout))
        return self.pending() == 0

    def pending(self) -> int:
        # _draining: a record popped off the queue but not yet handed to librdkafka (or dropped)
        return len(self._queue) + self._draining + (self._produced - self._completed)

    def dropped(self) -> Dict[str, int]:
        """Records dropped since start, by reason."""
        with self._lock:
            return dict(self._drops)

    # ---- worker side -------------------------------------------------------------------------

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                t = threading.Thread(target=self._run, name="tagpipe-collector-sender", daemon=True)
                self._thread = t
                self.worker_ident = None
                t.start()

    def _run(self) -> None:
        self.worker_ident = threading.get_ident()
        producer = self._producer
        try:
            while True:
                produced = self._drain(producer)
                self._report_drops(producer, force=self._stopping)
                if self._stopping and not self._queue:
                    break
                producer.poll(0 if produced else (0.01 if self._urgent else _IDLE_POLL_S))
                self._notify()
            producer.flush(max(0.0, self._close_deadline - self._monotonic()))
        except Exception as e:  # the worker must not die silently: say it once on stderr
            print("tagpipe-collector: sender stopped: %r" % (e,), file=sys.stderr)
        finally:
            self._notify()

    def _drain(self, producer: Any) -> int:
        produced = 0
        queue = self._queue
        self._draining = 1
        try:
            for _ in range(_DRAIN_BATCH):
                try:
                    item = queue.popleft()
                except IndexError:
                    break
                try:
                    value = self._encode(item)
                except Exception:
                    self._count(DROP_UNSENDABLE, 1)
                    continue
                if self._produce(producer, value):
                    produced += 1
        finally:
            self._draining = 0
        return produced

    def _produce(self, producer: Any, value: bytes) -> bool:
        try:
            producer.produce(self._topic, value=value, key=self._key, on_delivery=self._on_delivery)
        except BufferError:  # librdkafka's own buffer is full (broker slow or gone)
            self._count(DROP_BUFFER_FULL, 1)
            producer.poll(0.1)
            return False
        except Exception:  # e.g. larger than message.max.bytes
            self._count(DROP_UNSENDABLE, 1)
            return False
        self._produced += 1
        return True

    def _on_delivery(self, err: Any, _msg: Any) -> None:
        self._completed += 1
        self._healthy = err is None
        if err is not None:
            self._count(DROP_DELIVERY_FAILED, 1)

    def _report_drops(self, producer: Any, force: bool) -> None:
        if not self._healthy or not self._unreported:
            return
        now = self._monotonic()
        if not force and now - self._last_report < _REPORT_EVERY_S:
            return
        with self._lock:
            reasons, self._unreported = self._unreported, {}
        self._last_report = now
        item = self._drop_report(sum(reasons.values()), reasons)
        if not self._produce(producer, self._encode(item)):
            with self._lock:  # counted again next time, together with this failure
                for reason, n in reasons.items():
                    self._unreported[reason] = self._unreported.get(reason, 0) + n

    def _count(self, reason: str, n: int) -> None:
        with self._lock:
            self._drops[reason] = self._drops.get(reason, 0) + n
            self._unreported[reason] = self._unreported.get(reason, 0) + n

    def _notify(self) -> None:
        if self._urgent or self._stopping:
            with self._progress:
                self._progress.notify_all()

    def _after_fork(self) -> None:
        self._orphans.append(self._producer)
        self._producer = self._factory()
        closed = self._closed
        self._reset_state()
        self._closed = closed
