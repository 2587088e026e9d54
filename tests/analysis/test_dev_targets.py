"""The issue's targets on the shared development set (../shared/data/exit_causes_dev.csv).

This is one sample: the figures are a floor for regressions, not proof of quality elsewhere.
"""
import csv

import pytest

from analysis import evaluate
from tests.conftest import REPO

DEV = REPO.parent / "shared" / "data" / "exit_causes_dev.csv"
pytestmark = pytest.mark.skipif(not DEV.exists(), reason="the shared development set is not available")


@pytest.fixture(scope="module")
def dev():
    with open(DEV, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], [r["label"] for r in rows], [r["pii"] for r in rows]


def test_trained_classification(dev):
    texts, labels, _ = dev
    assert evaluate.cross_validated_classification(texts, labels).macro_f1 >= 0.85


def test_cold_start_classification(dev):
    texts, labels, _ = dev
    assert evaluate.cold_start_classification(texts, labels).macro_f1 >= 0.65


def test_clustering(dev):
    texts, labels, _ = dev
    score = evaluate.clustering(texts, labels, seeds=(0, 1))
    assert score.nmi >= 0.45 and score.seed_ari >= 0.8 and score.unassigned_share <= 0.1


def test_scrubbing(dev):
    texts, _, pii = dev
    score = evaluate.scrubbing(texts, pii)
    assert score.recall >= 0.98 and score.altered_share <= 0.02, score.missed
