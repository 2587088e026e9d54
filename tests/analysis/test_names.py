"""The learned person-name recogniser (analysis/names.py, analysis/recognisers.py) with the shipped
model: no mocks. Sentences are written for these tests; NorNE is only read for the cross-validation
test, and skipped when it is not there."""
import time

import pytest

from analysis import name_training, names, norne
from analysis.recognisers import PersonNameRecogniser
from analysis.scrub import PersonalDataScrubber, scrub
from tests.conftest import REPO

NORNE = REPO.parent / "shared" / "data" / "real"


@pytest.mark.parametrize("text, expected", [
    ("Leiaren min, Kari Nordmann, høyrer aldri etter.", "Leiaren min, [namn], høyrer aldri etter."),
    ("Lederen min Randi Solberg har ikke tid til oss.", "Lederen min [namn] har ikke tid til oss."),
    ("Eg har snakka med Trond Haugland i HR, men ingenting skjedde.",
     "Eg har snakka med [namn] i HR, men ingenting skjedde."),
    ("Jeg har snakket med Eirik Lund om det flere ganger.", "Jeg har snakket med [namn] om det flere ganger."),
    ("Takk til Siri og resten av gjengen for fine år.", "Takk til [namn] og resten av gjengen for fine år."),
    ("Ein kollega, Gunn Aasen, har snakka nedlatande til meg.", "Ein kollega, [namn], har snakka nedlatande til meg."),
    ("Mvh Stian Holm", "Mvh [namn]"),
    ("mvh kari", "mvh [namn]"),
    ("My manager Sarah Johnson never listened to us.", "My manager [namn] never listened to us."),
    ("I want to thank my colleagues, especially Geir Tveit.", "I want to thank my colleagues, especially [namn]."),
    ("Best regards, Joseph Mensah", "Best regards, [namn]"),
])
def test_names_in_exit_answers(text, expected):
    assert scrub(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Kollegaen min Aleksandra Nowak har også slutta.", "Kollegaen min [namn] har også slutta."),
    ("Leiaren min, Mohammed, høyrer ikkje på oss.", "Leiaren min, [namn], høyrer ikkje på oss."),
    ("Eg jobba saman med Fatuma på natt.", "Eg jobba saman med [namn] på natt."),
    ("Jeg jobbet sammen med Maricel og Jonas på kveldsvakt.", "Jeg jobbet sammen med [namn] og [namn] på kveldsvakt."),
    ("Kollegaen min Yohannes Tesfay sluttar òg.", "Kollegaen min [namn] sluttar òg."),
    ("Mitt namn er Olena Shevchenko.", "Mitt namn er [namn]."),
    ("Takk til Mindaugas og Somchai for hjelpa.", "Takk til [namn] og [namn] for hjelpa."),
])
def test_names_of_colleagues_from_abroad(text, expected):
    assert scrub(text) == expected


@pytest.mark.parametrize("text", [
    "Eg flyttar til Kinsarvik.", "Vi flytter til Bjerkvik i august.", "Jeg har fått jobb i Kvinesdal.",
    "Vi flyttar til Bodø til sommaren.", "Eg går til Helse Bergen.", "Jeg begynner i Helse Nord fra januar.",
    "Reisevegen frå Osterøy vart for lang.", "We are moving back to Trondheim.",
    "Vi har kjøpt hus i Fauske og flyttar i juni.", "Eg har fått jobb på Haukeland.",
])
def test_places_and_organisations_stay(text):
    assert scrub(text) == text


def test_ordinary_words_at_the_start_of_a_sentence_stay():
    for text in ["Løna er for låg.", "Ring meg gjerne.", "The pay is too low.", "Per dag har vi ti pasientar.",
                 "Liv og helse er viktigast.", "Turnusen passar ikkje med familien.",
                 "Større stilling og fast turnus.", "Mindre stilling enn eg ønskte."]:
        assert scrub(text) == text


def test_the_rule_is_a_parameter():
    text = "Eg snakka med Johansen om det."
    probabilities = {token: per for _, _, token, per, _, _ in names.shipped_model().probabilities(text)}
    assert probabilities["Johansen"] > 0.5 > probabilities["snakka"]
    strict = PersonalDataScrubber(recognisers=[PersonNameRecogniser(threshold=0.999999, cues=False)])
    assert strict.scrub(text) == text
    assert PersonalDataScrubber(name_threshold=0.2).scrub(text) == "Eg snakka med [namn] om det."


def test_the_shipped_model_and_its_settings_belong_together():
    settings = names.settings()
    data = REPO / "analysis" / "data"
    assert name_training.model_digest(data / names.MODEL_FILE) == settings["model_sha256"]
    # A word list the features read has changed since training: run tools/train_names.py again.
    assert name_training.feature_lists_digest(settings["places"]) == settings["feature_lists_sha256"]
    assert 0 < settings["threshold"] < 1 and settings["places"]
    assert all((data / name).exists() for name in settings["places"])
    assert (data / names.MODEL_FILE).stat().st_size < 5_000_000
    assert names.shipped_model() is names.shipped_model()
    assert any(feature.startswith(("given", "cue", "surname")) for feature, _ in names.shipped_model().explain("PER", 50))


def test_scrubbing_an_answer_is_fast():
    answer = ("Eg har jobba i heimetenesta i 12 år. Leiaren min, Kari Nordmann, har aldri spurt korleis vi har det, "
              "og turnusen blir endra utan varsel. No har eg fått jobb i Helse Bergen. Helsing Ingrid Haugland, 41683920")
    scrubber = PersonalDataScrubber()
    scrubber.scrub(answer)
    times = []
    for i in range(50):
        started = time.perf_counter()
        scrubber.scrub(answer + " " * (i % 2) + str(i))
        times.append(time.perf_counter() - started)
    assert sorted(times)[int(0.95 * len(times))] < 0.05


CONLLU = """# sent_id = t1
# text = Leiaren min Kari Hansen flyttar til Bodø.
1\tLeiaren\t_\t_\t_\t_\t_\t_\t_\tname=O
2\tmin\t_\t_\t_\t_\t_\t_\t_\tname=O
3\tKari\t_\t_\t_\t_\t_\t_\t_\tname=B-PER
4\tHansen\t_\t_\t_\t_\t_\t_\t_\tname=I-PER
5\tflyttar\t_\t_\t_\t_\t_\t_\t_\tname=O
6\ttil\t_\t_\t_\t_\t_\t_\t_\tname=O
7\tBodø\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No|name=B-GPE_LOC
8\t.\t_\t_\t_\t_\t_\t_\t_\tname=O

# sent_id = t2
# text = Eg byrjar i Helse Bergen.
1\tEg\t_\t_\t_\t_\t_\t_\t_\tname=O
2\tbyrjar\t_\t_\t_\t_\t_\t_\t_\tname=O
3\ti\t_\t_\t_\t_\t_\t_\t_\tname=O
4\tHelse\t_\t_\t_\t_\t_\t_\t_\tname=B-ORG
5\tBergen\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No|name=I-ORG
6\t.\t_\t_\t_\t_\t_\t_\t_\tname=O
"""


def test_evaluation_runs_the_full_scrubber_and_aligns_tokens(tmp_path):
    path = tmp_path / "test_nno.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    sentences = norne.read_conllu(path)
    assert [s.language for s in sentences] == ["nn", "nn"]
    assert norne.detokenise(sentences[0])[0] == "Leiaren min Kari Hansen flyttar til Bodø."
    result = norne.evaluate_on_conllu(path)
    assert result["person_tokens"] == 2 and result["recall"] == 1.0
    assert result["place_tokens"] == 1 and result["place_altered"] == 0.0
    assert result["organisation_tokens"] == 2 and result["organisation_altered"] == 0.0
    assert result["other_altered"] == 0.0 and set(result["by_language"]) == {"nn"}


@pytest.mark.skipif(not (NORNE / "norne_nob_dev.conllu").exists(), reason="NorNE dev is not available")
def test_cross_validated_figures_on_a_small_slice():
    sentences = (norne.read_conllu(NORNE / "norne_nob_dev.conllu")[:120]
                 + norne.read_conllu(NORNE / "norne_nno_dev.conllu")[:120])
    result = name_training.cross_validate(sentences, folds=2, thresholds=(0.01, 0.5), place_ratios=(0.25,),
                                  organisation_ratios=(0.1,), synthetic=50)
    assert len(result["grid"]) == 2 and result["chosen"] in result["grid"]
    low, high = result["grid"]
    assert set(low["by_language"]) == {"nb", "nn"} and low["person_tokens"] > 0
    assert low["recall"] >= high["recall"] and low["other_altered"] >= high["other_altered"]
    crossed = name_training.cross_language(sentences, result["chosen"], synthetic=0)
    assert set(crossed) == {"nb->nn", "nn->nb"} and 0 <= crossed["nb->nn"]["recall"] <= 1


def test_a_higher_bar_at_the_start_of_a_sentence_is_an_option_that_keeps_listed_names():
    from analysis.recognisers import default_recognisers
    stricter = PersonalDataScrubber(recognisers=[r for r in default_recognisers() if r.kind != "name"]
                                    + [PersonNameRecogniser(sentence_start_threshold=0.5)])
    assert stricter.scrub("Større stilling og fast turnus.") == "Større stilling og fast turnus."
    assert stricter.scrub("Kari var leiaren min.") == "[namn] var leiaren min."  # a listed given name
    # The default favours recall (see the comment in PersonNameRecogniser.find).
    assert PersonNameRecogniser().sentence_start_threshold is None


def test_places_after_a_preposition_of_place_is_an_option():
    from analysis.recognisers import default_recognisers

    def scrubber(place_context):
        return PersonalDataScrubber(recognisers=[r for r in default_recognisers() if r.kind != "name"]
                                    + [PersonNameRecogniser(threshold=0.0, place_context=place_context)])
    # Threshold 0 makes every capitalised word a name candidate, so the rule is what decides.
    text = "Eg jobba i Xyrvik og på Qarnes før."
    assert scrubber(False).scrub(text) == "Eg jobba i [namn] og på [namn] før."
    assert scrubber(True).scrub(text) == text
    # A listed given name stays a name, and so does a person after "til" who is no listed place.
    assert scrubber(True).scrub("Eg sa det til Xyrvik og såg Kari i Bodø.").count("[namn]") == 2
    assert PersonNameRecogniser().place_context is False
