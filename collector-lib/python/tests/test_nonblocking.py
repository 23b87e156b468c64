"""A dead broker never slows the caller: 100k logger.info calls against a closed localhost port."""
import logging
import socket
import statistics
import time

from fakes import attach, timed_info_calls
from tagpipe_collector import TagpipeHandler

CALLS = 100_000


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nobody listens once the socket is closed


def test_logging_with_the_broker_down_never_blocks_and_accounts_for_every_record(capsys):
    handler = TagpipeHandler(bootstrap_servers="127.0.0.1:%d" % closed_port(), app="nonblocking",
                             queue_size=10_000, producer_config={"message.timeout.ms": 600_000})
    log = attach(handler, "test.nonblocking")
    try:
        durations = timed_info_calls(log, CALLS)
        collector = handler.collector
        # Every record is either still waiting (queue or librdkafka) or dropped and counted.
        assert collector.flush(0.5) is False
        dropped = collector.dropped()
        assert collector.pending() + sum(dropped.values()) == CALLS, (collector.pending(), dropped)
        assert set(dropped) <= {"queue_full", "buffer_full"}
    finally:
        log.removeHandler(handler)
        handler.close(0.2)
    durations.sort()
    median, p99, worst = durations[CALLS // 2], durations[int(CALLS * 0.99)], durations[-1]
    with capsys.disabled():
        print("\n[broker down] %d logger.info calls: median %.2f us, p99 %.2f us, slowest %.2f ms, "
              "mean %.2f us; dropped %s" % (CALLS, median * 1e6, p99 * 1e6, worst * 1e3,
                                            statistics.fmean(durations) * 1e6, dropped))
    # Not a speed assertion: a blocking sender waits for metadata for seconds (Java's max.block.ms is 60 s).
    assert worst < 1.0, "a logger.info call blocked for %.3f s" % worst
