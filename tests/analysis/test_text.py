from analysis import resources
from analysis.text import TextNormaliser, canonical_tokens, detect_language, is_non_answer, normalise, tokenise


def test_normalise_makes_one_form_of_unicode_and_spaces():
    decomposed = "Lo\u0308nn"  # o + combining diaeresis
    assert normalise(f"  {decomposed}\u00a0er\n\n for  låg ") == "Lönn er for låg"
    assert normalise("\u201cHei\u201d \u2013 sa ho") == '"Hei" - sa ho'


def test_tokenise_keeps_words_numbers_and_hyphenated_compounds():
    assert tokenise("Eg har 37,5 % stilling i helse- og omsorg, og e-post!") == [
        "eg", "har", "37,5", "%", "stilling", "i", "helse", "og", "omsorg", "og", "e-post"]


def test_nynorsk_and_bokmal_meet_in_one_vocabulary():
    nynorsk = TextNormaliser().transform(["Leiaren min høyrer ikkje på oss, og løna er låg."])[0]
    bokmal = TextNormaliser().transform(["Lederen min hører ikke på oss, og lønna er lav."])[0]
    assert nynorsk.split() == bokmal.split()


def test_stopword_lists_hold_nynorsk_function_words_but_not_domain_words():
    stop = resources.stopwords("nn") | resources.stopwords("nb")
    for word in ["berre", "frå", "sjølv", "utan", "desse", "ikkje"]:
        assert word in stop
    for word in ["arbeid", "tid", "leder", "leiar", "jobb", "stilling", "lønn"]:
        assert word not in stop
    assert "leder" in canonical_tokens("Leiar", stemmed=False)


def test_language_is_detected_per_answer():
    assert detect_language("Eg veit ikkje kva eg skal gjere no") == "nn"
    assert detect_language("Jeg vet ikke hva jeg skal gjøre nå") == "nb"
    assert detect_language("I don't know what my job will be next year") == "en"
    assert detect_language("Jeg liker jobben, but the colleagues are not nice to me and I want to leave") == "mix"


def test_non_answers_are_recognised():
    for text in ["", "-", "...", "Veit ikkje", "ingen kommentar", "Ingen kommentarer.", "n/a", "x"]:
        assert is_non_answer(text), text
    for text in ["Lønn", "For lite folk på jobb", "Nei til turnus"]:
        assert not is_non_answer(text), text


def test_typos_share_character_ngrams():
    from sklearn.feature_extraction.text import TfidfVectorizer
    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit(["arbeidsmengde", "arbeidsmengd"])
    right, typo, other = vectoriser.transform(["arbeidsmengde", "arbiedsmengde", "pensjon"]).toarray()
    assert right @ typo > 0.4 and right @ other == 0
