"""tagpipe collector for Python services: app-labelled logs and metrics to Kafka (envelope v1).

Public surface: :class:`TagpipeHandler` (logging), :class:`Collector` (direct API),
:func:`resolve_identity` and the label rules :func:`normalise` / :func:`entry_label`.
"""
from .collector import Collector
from .handler import TagpipeHandler
from .identity import Identity, resolve as resolve_identity
from .labels import entry_label, normalise

__all__ = ["Collector", "TagpipeHandler", "Identity", "resolve_identity", "entry_label", "normalise"]
__version__ = "0.1.0"
