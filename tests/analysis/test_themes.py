import numpy as np
from sklearn.metrics import adjusted_rand_score

from analysis.themes import ThemeClusterer, UNASSIGNED
from analysis.tracking import ThemeTracker, counts_by


def _texts(labelled, copies=2):
    texts, labels = labelled
    # Vary the copies a little so they are not identical points.
    varied = [f"{text} {suffix}".strip() for suffix in ["", "Dessverre."][:copies] for text in texts]
    return varied, labels * copies


def test_themes_follow_the_causes_and_have_readable_labels(labelled):
    texts, labels = _texts(labelled)
    model = ThemeClusterer(k_range=(2, 8), random_state=0).fit(texts + ["-", "veit ikkje"])
    assert model.labels_[-2:].tolist() == [UNASSIGNED, UNASSIGNED]  # non-answers are never a theme
    assert adjusted_rand_score(labels, model.labels_[:-2]) > 0.5
    assert 2 <= model.k_ <= 8 and set(model.stability_) <= set(range(2, 9))
    assert sum(theme.size for theme in model.themes_) + (model.labels_ == UNASSIGNED).sum() == len(texts) + 2
    pension = next(t for t in model.themes_ if any("pensjon" in texts[i].lower() for i in t.representatives))
    assert any(term.startswith("pensjon") for term in pension.top_terms)
    # Labels are phrases people wrote (words and word pairs as they stand in the answers), not stems.
    written = [" ".join(text.lower().replace(".", " ").replace(",", " ").split()) for text in texts]
    assert all(any(term in text for text in written) for theme in model.themes_ for term in theme.top_terms)
    assert any(" " in term for theme in model.themes_ for term in theme.top_terms)
    assert all(theme.label[:1].isupper() and "," not in theme.label for theme in model.themes_)


def test_same_seed_same_themes_and_other_seeds_agree(labelled):
    texts, _ = _texts(labelled)
    first = ThemeClusterer(k_range=(2, 8), random_state=1).fit(texts)
    again = ThemeClusterer(k_range=(2, 8), random_state=1).fit(texts)
    other = ThemeClusterer(k_range=(2, 8), random_state=2).fit(texts)
    assert first.labels_.tolist() == again.labels_.tolist()
    assert adjusted_rand_score(first.labels_, other.labels_) > 0.8


def test_fixed_k_and_predict(labelled):
    texts, _ = _texts(labelled)
    model = ThemeClusterer(k=4, random_state=0).fit(texts)
    assert model.k_ == 4 and model.stability_ == {}
    predicted = model.predict(texts)
    # A fitted answer gets its own theme back, or -1 if it sits at the theme's outer edge.
    assert ((predicted == model.labels_) | (predicted == UNASSIGNED)).all()
    # Each of the two views (combined, words) leaves out its farthest 5 % of a theme's members.
    assert (predicted == model.labels_).mean() > 0.8
    assert model.predict(["", "-"]).tolist() == [UNASSIGNED, UNASSIGNED]


def test_tiny_inputs_do_not_fail():
    assert ThemeClusterer().fit([]).labels_.tolist() == []
    assert ThemeClusterer().fit(["Løna er for låg"]).labels_.tolist() == [UNASSIGNED]


def test_tracking_assigns_known_themes_and_flags_a_new_one(labelled):
    texts, _ = _texts(labelled)
    tracker = ThemeTracker(clusterer=ThemeClusterer(k_range=(2, 8), random_state=0)).fit(texts)
    known = len(tracker.themes_)
    parking = ["Parkeringa ved jobben er fjerna.", "Vi må no betale for parkering kvar dag.",
               "Det finst ingen parkering for dei som jobbar kveld.", "Parkering kostar meg mykje no.",
               "Utan parkering må eg bruke ein time på bussen.", "Parkeringsplassen vart seld."]
    labels = tracker.update(["Løna er for låg for jobben.", "Eg går av med pensjon i år."] + parking)
    new = [t for t in tracker.themes_ if t.new]
    assert len(tracker.themes_) == known + 1 and new[0].label.lower().startswith("parkering")
    assert set(labels[2:]) - {new[0].id} <= {UNASSIGNED}
    assert (labels[2:] == new[0].id).sum() >= 5
    assert labels[0] < known and labels[1] < known
    # A later quarter's parking answers join the theme that is no longer new.
    assert tracker.update(["Parkering er eit problem også i år."]).tolist() == [new[0].id]


def test_counts_by_theme_period_and_group():
    counts = counts_by(np.array([0, 0, 1, -1]), ["2026Q1", "2026Q1", "2026Q2", "2026Q2"], ["a", "b", "a", "a"])
    assert counts == {(0, "2026Q1", "a"): 1, (0, "2026Q1", "b"): 1, (1, "2026Q2", "a"): 1, (-1, "2026Q2", "a"): 1}
    assert counts_by([0, 0], ["q", "q"]) == {(0, "q"): 2}
