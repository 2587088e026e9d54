"""Searching free text: a word is found in nynorsk and bokmål forms alike, and stopwords find nothing."""
from analysis.text import find, search_terms

TEXTS = ["Leiaren min lytta aldri", "Lederen min hørte aldri etter", "Løna var for låg", "Lønna var for lav",
         "Sjukepleiarane slutta", "Sykepleierne sluttet", "Turnusen var tung", "I never felt heard by my manager"]


def found(query):
    return [TEXTS[i] for i in find(query, TEXTS)]


def test_nynorsk_and_bokmal_forms_find_each_other():
    assert found("leiar") == found("leder") == TEXTS[:2]
    assert found("løn") == found("lønn") == TEXTS[2:4]
    assert found("sjukepleiar") == ["Sjukepleiarane slutta", "Sykepleierne sluttet"]


def test_every_word_must_be_there_and_stopwords_are_no_search():
    assert found("leiar aldri") == TEXTS[:2]
    assert found("leiar løn") == []
    assert search_terms("ikkje og ikke") == [] and found("ikkje") == []
    assert found("manager") == [TEXTS[-1]]
