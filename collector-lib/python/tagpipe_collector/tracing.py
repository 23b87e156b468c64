"""``trace_id``/``span_id`` of the current OpenTelemetry span, when ``opentelemetry`` is installed.

Read on the caller's thread (OpenTelemetry's context is a contextvar) and only when the record
did not bring its own ids in ``extra=``.
"""
from __future__ import annotations

from typing import Callable, Optional, Tuple

TraceIds = Tuple[Optional[str], Optional[str]]


def _no_trace() -> TraceIds:
    return None, None


def otel_current_ids() -> Callable[[], TraceIds]:
    """A function returning the current span's ids as lower-case hex, or (None, None)."""
    try:
        from opentelemetry import trace  # type: ignore
    except Exception:  # not installed, or broken: tracing is optional
        return _no_trace

    def current() -> TraceIds:
        ctx = trace.get_current_span().get_span_context()
        if not ctx.is_valid:
            return None, None
        return "%032x" % ctx.trace_id, "%016x" % ctx.span_id

    return current
