"""Who is logging: the app label and the rule that produced it (``app_source``).

Layered detection, first hit wins (README "How labels are derived"): explicit → ``TAGPIPE_APP`` →
``OTEL_SERVICE_NAME`` → ``service.name`` in ``OTEL_RESOURCE_ATTRIBUTES`` → ``sys.modules["__main__"]``
(looking through gunicorn/uvicorn/celery-style launchers) → ``unknown_service:python``.
Everything is passed in, so each rule is tested with fake ``__main__`` modules and argv.
"""
from __future__ import annotations

import os
import re
import sys
from typing import Callable, Iterable, List, Mapping, NamedTuple, Optional, Sequence
from urllib.parse import unquote

from .labels import UNKNOWN_PYTHON, entry_label, normalise


class Identity(NamedTuple):
    app: str
    source: str  # explicit | env | otel | module | script | unknown


# Launchers whose own name says nothing: the app module is on their command line.
# name -> options whose value is the app (celery), else the positional "module[:attr]" is.
_LAUNCHERS = {
    "gunicorn": (), "uvicorn": (), "hypercorn": (), "daphne": (), "waitress-serve": ("--call",),
    "waitress": (), "celery": ("-A", "--app"), "dramatiq": (), "rq": (), "huey_consumer": (),
    "flask": ("-A", "--app"), "granian": (),
}
# Launcher options that take a value, so their value is never mistaken for the app module.
_VALUE_OPTIONS = frozenset((
    "-b", "--bind", "-k", "--worker-class", "-c", "--config", "-w", "--workers", "--chdir", "-e", "--env",
    "-n", "--name", "--host", "--port", "--uds", "--fd", "--log-level", "--log-config", "--env-file",
    "--app-dir", "--root-path", "--ssl-keyfile", "--ssl-certfile", "--interface", "-p", "--pid", "-u",
    "--user", "-g", "--group", "-Q", "--queues", "-l", "--loglevel", "--logfile", "-P", "--pool",
    "--concurrency", "-t", "--timeout", "--worker-tmp-dir", "--access-logfile", "--error-logfile",
    "--threads", "--processes", "--listen", "--ws",
))
_MODULE_ARG = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*(:[A-Za-z_][\w.]*(\(.*\))?)?$")

Detector = Callable[[], Optional[Identity]]


def resolve(explicit: Optional[str] = None, environ: Optional[Mapping[str, str]] = None,
            main_module: object = None, argv: Optional[Sequence[str]] = None) -> Identity:
    """The identity of this process. Defaults read ``os.environ``, ``sys.modules["__main__"]``,
    ``sys.argv``. An explicit app that normalises to nothing is a configuration error."""
    if explicit is not None and normalise(explicit) is None:
        raise ValueError("app %r has no usable character (allowed: a-z 0-9 . _ : -)" % (explicit,))
    env = os.environ if environ is None else environ
    main = sys.modules.get("__main__") if main_module is None else main_module
    args = list(sys.argv if argv is None else argv)
    detectors: List[Detector] = [
        lambda: _labelled(explicit, "explicit"),
        lambda: _labelled(env.get("TAGPIPE_APP"), "env"),
        lambda: _labelled(env.get("OTEL_SERVICE_NAME"), "otel"),
        lambda: _labelled(otel_resource_service_name(env.get("OTEL_RESOURCE_ATTRIBUTES")), "otel"),
        lambda: from_main(main, args),
    ]
    return _first(detectors) or Identity(UNKNOWN_PYTHON, "unknown")


def _first(detectors: Iterable[Detector]) -> Optional[Identity]:
    for detect in detectors:
        found = detect()
        if found is not None:
            return found
    return None


def _labelled(raw: Optional[str], source: str) -> Optional[Identity]:
    label = normalise(raw) if raw else None
    return Identity(label, source) if label else None


def otel_resource_service_name(attributes: Optional[str]) -> Optional[str]:
    """``service.name`` from W3C-baggage-style ``k=v,k2=v2`` (values percent-encoded)."""
    for pair in (attributes or "").split(","):
        key, sep, value = pair.partition("=")
        if sep and key.strip() == "service.name" and value.strip():
            return unquote(value.strip())
    return None


def from_main(main: object, argv: Sequence[str]) -> Optional[Identity]:
    """The label of ``__main__``: ``__spec__.name`` under ``python -m``, else its ``__file__``;
    a launcher (gunicorn, uvicorn, celery …) is looked through to the app module in ``argv``."""
    if main is None:
        return None
    spec = getattr(main, "__spec__", None)
    module = getattr(spec, "name", None) if spec is not None else None
    path = getattr(main, "__file__", None)
    if isinstance(path, str) and path.startswith("<"):  # "<stdin>", "<string>": no file to name the app
        path = None
    launcher = _launcher_name(module, path)
    if launcher is not None:
        return _from_launcher_argv(launcher, argv)
    if module and module != "__main__":  # "__main__": a directory or zipapp was run; its path says more
        return _from_module(module)
    if path:
        return _from_path(path)
    return None


def _launcher_name(module: Optional[str], path: Optional[str]) -> Optional[str]:
    if module:
        name = module.split(".")[0]
    elif path:
        name = os.path.basename(path)
        name = name[:-3] if name.endswith(".py") else name
    else:
        return None
    return name if name in _LAUNCHERS else None


def _from_launcher_argv(launcher: str, argv: Sequence[str]) -> Optional[Identity]:
    app = _app_argument(_LAUNCHERS[launcher], list(argv[1:]))
    if app is None:
        # The launcher is all we know; better than unknown, and says what runs.
        return _labelled(launcher, "module")
    return _from_module(app.split(":")[0])


def _app_argument(app_options: Sequence[str], args: List[str]) -> Optional[str]:
    """``-A proj`` / ``--app=proj`` for launchers with an app option, else the first positional
    ``module[:attr]`` that is not the value of a known option (``-k uvicorn.workers.UvicornWorker``)."""
    i = 0
    while i < len(args):
        arg = args[i]
        opt, eq, inline = arg.partition("=")
        if opt in app_options:
            return inline if eq else (args[i + 1] if i + 1 < len(args) else None)
        short = next((o for o in app_options if len(o) == 2 and arg.startswith(o) and len(arg) > 2), None)
        if short:
            return arg[2:]
        if arg.startswith("-"):
            i += 2 if (not eq and opt in _VALUE_OPTIONS) else 1
            continue
        if not app_options and _MODULE_ARG.match(arg):
            return arg
        i += 1
    return None


def _from_module(module: str) -> Optional[Identity]:
    parts = [p for p in module.split(".") if p]
    if not parts:
        return None
    label = entry_label(parts[:-1], parts[-1])
    return Identity(label, "module") if label else None


def _from_path(path: str) -> Optional[Identity]:
    directory, filename = os.path.split(os.path.abspath(path))
    stem = filename[:-3] if filename.endswith(".py") else os.path.splitext(filename)[0] or filename
    segments = [s for s in directory.split(os.sep) if s]
    if segments and segments[-1].endswith(".pyz"):  # zipapp: tools/report.pyz/__main__.py
        segments[-1] = segments[-1][:-4]
    label = entry_label(segments, stem)
    return Identity(label, "script") if label else None
