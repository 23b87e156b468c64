import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PY_ROOT = os.path.dirname(HERE)
REPO_ROOT = os.path.dirname(os.path.dirname(PY_ROOT))
sys.path.insert(0, PY_ROOT)


@pytest.fixture(scope="session")
def label_vectors():
    with open(os.path.join(REPO_ROOT, "wire", "label-vectors.json"), encoding="utf-8") as f:
        return json.load(f)
