"""An in-memory stand-in for confluent_kafka.Producer (unit tests only; the IT uses a real broker)."""
import json


class FakeProducer:
    """Accepts records, reports delivery on poll(); ``fail`` / ``buffer_full`` switch behaviours."""

    def __init__(self, config=None):
        self.config = config
        self.sent = []          # (topic, key, value) delivered successfully
        self._inflight = []
        self.fail = False       # deliveries fail (broker gone)
        self.buffer_full = False

    def produce(self, topic, value=None, key=None, on_delivery=None):
        if self.buffer_full:
            raise BufferError("Local: Queue full")
        self._inflight.append((topic, key, value, on_delivery))

    def poll(self, timeout=0):
        done, self._inflight = self._inflight, []
        for topic, key, value, cb in done:
            if self.fail:
                cb("broker down", None)
            else:
                self.sent.append((topic, key, value))
                cb(None, None)
        return len(done)

    def flush(self, timeout=None):
        self.poll()
        return 0

    def envelopes(self):
        return [json.loads(v) for _, _, v in self.sent]


def attach(handler, logger_name):
    """A logger that sends only to ``handler`` (no propagation), at INFO."""
    import logging
    log = logging.getLogger(logger_name)
    log.propagate = False
    log.setLevel(logging.INFO)
    log.addHandler(handler)
    return log


def timed_info_calls(log, calls):
    """Durations (seconds) of ``calls`` ``log.info`` calls with one ``extra`` field: the app's cost of logging."""
    import time
    clock = time.perf_counter
    durations = []
    for i in range(calls):
        start = clock()
        log.info("order %d paid", i, extra={"user": "u1"})
        durations.append(clock() - start)
    return durations
