"""The issue's targets on the shared development set (../shared/data/exit_causes_dev.csv) and on the
real Norwegian text beside it (SIB-200 topic sentences).

This is one sample: the figures are a floor for regressions, not proof of quality elsewhere. The
trained classifier's floor is set a little under the 0.85 target because 5-fold cross-validation
trains on four fifths of the set, less than a model trained on all of it has.
"""
import csv

import pytest

from analysis import evaluate
from tests.conftest import REPO

SHARED = REPO.parent / "shared" / "data"
DEV = SHARED / "exit_causes_dev.csv"
SIB = {"nb": SHARED / "real" / "sib200_nob_train.tsv", "nn": SHARED / "real" / "sib200_nno_train.tsv"}
pytestmark = pytest.mark.skipif(not DEV.exists(), reason="the shared development set is not available")


@pytest.fixture(scope="module")
def dev():
    with open(DEV, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return ([r["text"] for r in rows], [r["label"] for r in rows], [r["pii"] for r in rows],
            [r["lang"] for r in rows], [r["sector"] for r in rows])


def test_trained_classification(dev):
    texts, labels, *_ = dev
    assert evaluate.cross_validated_classification(texts, labels).macro_f1 >= 0.84


def test_cold_start_classification(dev):
    texts, labels, *_ = dev
    assert evaluate.cold_start_classification(texts, labels).macro_f1 >= 0.65


def test_what_is_learnt_in_one_language_carries_to_the_others(dev):
    texts, labels, _, languages, _ = dev
    from_nynorsk = evaluate.transfer_classification(texts, labels, languages, {"nn"})
    to_nynorsk = evaluate.transfer_classification(texts, labels, languages, set(languages) - {"nn"})
    assert from_nynorsk.macro_f1 >= 0.75 and to_nynorsk.macro_f1 >= 0.75


def test_a_sector_never_seen_in_training(dev):
    texts, labels, _, _, sectors = dev
    pooled, per_sector = evaluate.leave_one_group_out(texts, labels, sectors)
    assert pooled.macro_f1 >= 0.8 and min(per_sector.values()) >= 0.6


def test_clustering(dev):
    texts, labels, *_ = dev
    score = evaluate.clustering(texts, labels, seeds=(0, 1))
    assert score.nmi >= 0.5 and score.seed_ari >= 0.8 and score.unassigned_share <= 0.1


@pytest.mark.parametrize("language,floor", [("nb", 0.40), ("nn", 0.35)])
def test_themes_find_the_topics_of_real_text(language, floor):
    if not SIB[language].exists():
        pytest.skip("SIB-200 is not available")
    from sklearn.metrics import normalized_mutual_info_score

    from analysis.themes import ThemeClusterer
    sentences, topics = evaluate.read_topic_sentences(SIB[language])
    # The target is the method's, not one seed's: k-means with k chosen per seed moves NMI by about
    # 0.02-0.05 between seeds on 700 sentences (README, "Analysis quality"), so two seeds' mean.
    scores = []
    for seed in (0, 1):
        themes = ThemeClusterer(random_state=seed).fit(sentences)
        assert (themes.labels_ < 0).mean() <= 0.1
        scores.append(normalized_mutual_info_score(topics, themes.labels_))
    assert sum(scores) / len(scores) >= floor, scores


def test_scrubbing(dev):
    texts, _, pii, *_ = dev
    score = evaluate.scrubbing(texts, pii)
    assert score.recall >= 0.98 and score.altered_share <= 0.02, score.missed
