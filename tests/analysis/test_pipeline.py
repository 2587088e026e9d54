"""The whole analysis as the CLI, the web app and the report run it."""
from __future__ import annotations

from analysis.classify import CauseClassifier, ColdStartClassifier
from analysis.pipeline import CauseAnalysis
from analysis.themes import ThemeClusterer


def test_components_passed_in_are_cloned_not_fitted_in_place(labelled):
    texts, labels = labelled
    classifier, clusterer = CauseClassifier(C=5.0), ThemeClusterer(k=4)
    result = CauseAnalysis(classifier=classifier, clusterer=clusterer).run(texts, texts, labels)
    assert not hasattr(classifier, "pipeline_") and not hasattr(clusterer, "labels_")
    assert result.trained and result.k == 4 and len(result.themes) == len(texts)


def test_scrubbing_comes_first_and_nothing_after_it_sees_a_name(labelled):
    texts, labels = labelled
    texts = texts + ["Leiaren min Kari Nordmann høyrer aldri etter, ring meg på 41683920."]
    result = CauseAnalysis(k=3).run(texts)
    assert "Kari" not in result.scrubbed[-1] and "41683920" not in result.scrubbed[-1]
    assert not any("kari" in term.lower() for theme in result.theme_list for term in theme.top_terms)
    assert not result.trained  # no labels: the cold start


def test_most_likely_cause_confidence_and_uncertain(labelled):
    texts, labels = labelled
    analysis = CauseAnalysis()
    result = analysis.classify(texts + ["-", "Kaffien var god."], texts, labels)
    assert result.trained and result.causes[:len(texts)] == labels
    assert result.causes[-2] == "uncertain" and result.uncertain[-2] and result.confidences[-2] == 0
    assert all(u == (c < result.model.min_confidence) for u, c in zip(result.uncertain, result.confidences))
    assert result.labels()[-2] == "uncertain"


def test_too_few_labels_fall_back_to_the_cold_start(labelled):
    texts, labels = labelled
    model = CauseAnalysis().cause_model(texts, texts[:4], labels[:4])
    assert isinstance(model, ColdStartClassifier)


def test_themes_are_tracked_when_answers_carry_quarters(labelled):
    texts, labels = labelled
    history = [f"{t} {suffix}".strip() for suffix in ("", "Dessverre.") for t in texts]
    parking = ["Parkeringa ved jobben er fjerna.", "Vi må no betale for parkering kvar dag.",
               "Det finst ingen parkering for dei som jobbar kveld.", "Parkering kostar meg mykje no.",
               "Utan parkering må eg bruke ein time på bussen.", "Parkeringsplassen ved jobben vart seld."]
    now = ["Løna er for låg for jobben.", "Eg går av med pensjon i år."] + parking
    periods = ["q1"] * len(texts) + ["q2"] * len(texts) + ["q3"] * len(now)
    result = CauseAnalysis().run(history + now, periods=periods, current="q3")
    new = [theme for theme in result.theme_list if theme.new]
    assert len(new) == 1 and new[0].label.lower().startswith("parkering")
    # Representatives point into the whole list, at the answers of the quarter that found the theme.
    assert all(len(history) <= i < len(history) + len(now) for i in new[0].representatives)
    known = {t.id for t in result.theme_list if not t.new}
    assert result.themes[len(history)] in known and result.themes[len(history) + 1] in known
