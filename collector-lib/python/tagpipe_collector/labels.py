"""The label rules of README "How labels are derived", shared with Java's ``io.tagpipe.wire.Labels``.

Both implementations are checked against ``wire/label-vectors.json``; change the rule in the
README, the vectors and both languages together, never one alone.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

MAX_LENGTH = 64
UNKNOWN_PYTHON = "unknown_service:python"

# Entry names that say nothing about the app: their enclosing package/directory names it instead.
GENERIC_NAMES = frozenset(n.lower() for n in (
    "Main", "Application", "App", "Server", "Launcher", "Bootstrap", "main", "app", "application",
    "server", "__main__", "run", "manage", "wsgi", "asgi", "cli", "start"))

_SUFFIXES = ("Application", "App", "Main", "Server", "Launcher")
_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._:-")
_SEPARATORS = ".-:"
# HTTPGateway -> HTTP-Gateway, billingApi -> billing-Api, v2Server -> v2-Server
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def normalise(raw: Optional[str]) -> Optional[str]:
    """Lower case, only ``[a-z0-9._:-]``, runs of anything else become one ``-``, no leading or
    trailing ``.``/``-``/``:``, at most 64 characters; ``None`` when nothing usable is left."""
    if raw is None:
        return None
    out = []
    pending_dash = False
    # Java strips Unicode whitespace and lower-cases with Locale.ROOT; for the ASCII the result keeps,
    # str.strip()/lower() agree (non-ASCII is replaced by '-' either way).
    for c in raw.strip().lower():
        if len(out) >= MAX_LENGTH:
            break
        if c in _ALLOWED:
            if pending_dash and out:
                out.append("-")
                if len(out) == MAX_LENGTH:
                    break
            pending_dash = False
            out.append(c)
        else:
            pending_dash = True
    label = "".join(out).strip(_SEPARATORS)
    return label or None


def entry_label(segments: Sequence[str], name: str) -> Optional[str]:
    """The label of an entrypoint: packages/directories ``segments`` plus the entry ``name``."""
    segs = [s for s in segments if s]
    if name.lower() in GENERIC_NAMES:
        if len(segs) >= 2:
            raw = segs[-2] + "-" + segs[-1]
        elif segs:
            raw = segs[0]
        else:
            raw = name
    else:
        raw = _CAMEL.sub("-", _strip_suffix(name))
    return normalise(raw)


def _strip_suffix(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name
