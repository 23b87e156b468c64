"""The shared vectors (wire/label-vectors.json), also read by Java's tests."""
import pytest

from tagpipe_collector.labels import MAX_LENGTH, UNKNOWN_PYTHON, entry_label, normalise


def test_every_normalise_vector_gives_its_label(label_vectors):
    assert label_vectors["normalise"], "no vectors read"
    for v in label_vectors["normalise"]:
        assert normalise(v["raw"]) == v["label"], v


def test_every_entry_vector_gives_its_label(label_vectors):
    assert label_vectors["entry"], "no vectors read"
    for v in label_vectors["entry"]:
        assert entry_label(v["segments"], v["name"]) == v["label"], v


def test_cap_never_ends_on_a_separator():
    assert normalise("x" * 63 + "-" + "y" * 500) == "x" * 63
    assert len(normalise("a" * 500)) == MAX_LENGTH


def test_none_and_unknown():
    assert normalise(None) is None
    assert normalise(UNKNOWN_PYTHON) == UNKNOWN_PYTHON


@pytest.mark.parametrize("segments,name,label", [
    (["srv", "services", "billing", "api"], "APP", "billing-api"),      # generic is case-insensitive
    (["repo"], "billing_app", "billing_app"),                             # suffix rule is case-sensitive
    (["repo"], "ReportsServer", "reports"),
    (["repo"], "Server", "repo"),
])
def test_entry_rule_edges(segments, name, label):
    assert entry_label(segments, name) == label
