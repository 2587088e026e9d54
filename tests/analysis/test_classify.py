import numpy as np
from sklearn.base import clone

from analysis.classify import UNCERTAIN, CauseClassifier, ColdStartClassifier
from analysis.lexicon import LexiconScorer

CAUSES = ["lonn", "arbeidstid", "leiing", "arbeidsmiljo", "belastning", "utvikling", "flytting", "pensjon",
          "helse", "utdanning", "omstilling", "mottak"]


def test_lexicon_is_keyed_by_the_questionnaire_cause_codes():
    from survey_app.definitions.loader import load_questionnaire
    from tests.conftest import REPO
    questionnaire = load_questionnaire(REPO / "questionnaires" / "sluttsamtale.yaml")
    main_reason = next(q for s in questionnaire.sections for q in s.questions if q.name == "main_reason")
    codes = [choice["value"] for choice in main_reason.choices if choice["value"] != "anna"]
    assert LexiconScorer().fit().causes_ == codes == CAUSES


def test_short_terms_do_not_match_inside_profession_words():
    scores = LexiconScorer().fit().transform(["Eg er sjukepleiar på sjukeheimen og helsefagarbeidar."])
    assert scores.sum() == 0


def test_cold_start_needs_no_labels_and_finds_clear_causes():
    texts = ["Løna er for låg.", "Eg går av med pensjon.", "Vi flyttar til Bergen for å vere nærare familien.",
             "Turnusen med kvar tredje helg er for tung.", "Leiaren min er aldri til stades.",
             "Eg har fått plass på studiet og skal studere til hausten."]
    model = ColdStartClassifier().fit(texts)
    labels, confidence = model.predict_with_confidence(texts)
    assert list(labels) == ["lonn", "pensjon", "flytting", "arbeidstid", "leiing", "utdanning"]
    assert ((confidence > 0) & (confidence <= 1)).all()


def test_low_confidence_goes_to_uncertain_not_a_wrong_box():
    model = ColdStartClassifier().fit(["Det var på tide med noko anna."])
    assert model.predict(["Det var på tide med noko anna.", "Kaffien var god."]).tolist() == [UNCERTAIN, UNCERTAIN]


def test_trained_classifier_learns_from_labels(labelled):
    texts, labels = labelled
    model = CauseClassifier().fit(texts, labels)
    assert set(model.classes_) == set(labels)
    assert model.predict(["Eg vil ha betre løn", "Eg skal bli pensjonist"]).tolist() == ["lonn", "pensjon"]
    proba = model.predict_proba(texts)
    assert np.allclose(proba.sum(axis=1), 1)


def test_classifiers_are_estimators_and_deterministic(labelled):
    texts, labels = labelled
    model = CauseClassifier(C=5.0, random_state=3)
    again = clone(model)
    assert again.get_params() == model.get_params()
    assert np.allclose(model.fit(texts, labels).predict_proba(texts), again.fit(texts, labels).predict_proba(texts))


def test_parts_passed_in_are_cloned_and_the_descriptions_help_a_thin_cause(labelled):
    from sklearn.linear_model import LogisticRegression

    from analysis.features import CauseAffinityStep, WordStep
    texts, labels = labelled
    words, estimator = WordStep(), LogisticRegression(C=3.0, max_iter=2000)
    model = CauseClassifier(features=words, estimator=estimator).fit(texts, labels)
    assert not hasattr(words, "words_") and not hasattr(estimator, "coef_")
    assert model.pipeline_.named_steps["model"].C == 3.0
    affinity = CauseAffinityStep(lexicon_weight=0.0)
    cold = ColdStartClassifier(affinity=affinity, student=CauseClassifier(C=5.0)).fit(texts)
    assert not hasattr(affinity, "prototypes_") and cold.student_ is not None and cold.student_.C == 5.0
    # One labelled answer about pension: the cause's descriptions, added as examples, carry the cause.
    thin = [i for i, label in enumerate(labels) if label != "pensjon"] + [labels.index("pensjon")]
    with_descriptions = CauseClassifier().fit([texts[i] for i in thin], [labels[i] for i in thin])
    probe = ["Eg skal bli pensjonist og tek ut AFP.", "I am retiring next year."]
    assert with_descriptions.predict(probe).tolist() == ["pensjon", "pensjon"]
