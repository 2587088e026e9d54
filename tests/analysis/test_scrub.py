import pytest

from analysis.scrub import PersonalDataScrubber, scrub


@pytest.mark.parametrize("text, expected", [
    ("Ring meg på 41683920.", "Ring meg på [telefon]."),
    ("Ring meg på 416 83 920.", "Ring meg på [telefon]."),
    ("Ring meg på 41 68 39 20, takk.", "Ring meg på [telefon], takk."),
    ("Ring meg på 4168 3920.", "Ring meg på [telefon]."),
    ("Ring meg på +47 416 83 920.", "Ring meg på [telefon]."),
    ("Ring meg på +4741683920.", "Ring meg på [telefon]."),
    ("Ring meg på 0047 41 68 39 20.", "Ring meg på [telefon]."),
    ("Tlf: 22 33 44 55 (jobb)", "Tlf: [telefon] (jobb)"),
])
def test_phone_numbers_in_all_norwegian_formats(text, expected):
    assert scrub(text) == expected


def test_email_fnr_and_address():
    assert scrub("Skriv til kari.nordmann+jobb@example.no.") == "Skriv til [e-post]."
    assert scrub("Fødselsnummeret mitt er 01019012345.") == "Fødselsnummeret mitt er [fødselsnummer]."
    assert scrub("Fnr 010190 12345") == "Fnr [fødselsnummer]"
    assert scrub("Send papira til Storgata 12B, 8006 Bodø.") == "Send papira til [adresse]."
    assert scrub("Eg bur i Fjellvegen 3 no.") == "Eg bur i [adresse] no."


def test_names_with_surnames_cues_and_hyphens():
    assert scrub("Leiaren min, Kari Nordmann, høyrer aldri etter.") == "Leiaren min, [namn], høyrer aldri etter."
    assert scrub("Takk til Ingrid og Mohammed for gode år.") == "Takk til [namn] og [namn] for gode år."
    assert scrub("Hilsen Xiomara") == "Hilsen [namn]"
    assert scrub("Anne-Lise Hansen var ein god kollega.") == "[namn] var ein god kollega."
    assert scrub("Eg snakka med Johansen om det.") == "Eg snakka med [namn] om det."


def test_places_numbers_and_ordinary_words_stay():
    for text in ["Vi flyttar til Bodø og eg byrjar i Helse Bergen.", "Per dag har vi 12 pasientar per tilsett.",
                 "Liv og helse er viktigast.", "Eg fekk 50 000 meir i året og 100 prosent stilling.",
                 "I moved to Trondheim in May 2026.", "Eg har jobba 37,5 timar i veka sidan 2019.",
                 "Kulturskulen i Alver er ein fin stad.", "Eg flyttar til Kinsarvik.", "Vi flytter til Bjerkvik.",
                 "Jeg har fått jobb i Kvinesdal."]:
        assert scrub(text) == text


def test_language_is_a_parameter():
    text = "My manager Sarah Johnson never listened."
    assert scrub(text, language="en") == PersonalDataScrubber(language="en").scrub(text) == \
        "My manager [namn] never listened."
    assert PersonalDataScrubber().find_spans(text, language="nn")[0].kind == "name"


def test_recognisers_are_a_registry():
    from analysis.recognisers import EmailRecogniser, PhoneRecogniser, default_recognisers

    kinds = [r.kind for r in default_recognisers()]
    assert kinds == ["email", "fnr", "phone", "address", "name"]
    assert all(r.supports(language) for r in default_recognisers() for language in ("nb", "nn", "en", "mix"))
    only_contact = PersonalDataScrubber(recognisers=[EmailRecogniser(), PhoneRecogniser()])
    assert only_contact.scrub("Kari Nordmann, kari@example.no, 41683920") == "Kari Nordmann, [e-post], [telefon]"


def test_spans_are_typed_and_do_not_overlap():
    text = "Kari Nordmann, kari@example.no, 41683920"
    spans = PersonalDataScrubber().find_spans(text)
    assert [s.kind for s in spans] == ["name", "email", "phone"]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


def test_kinds_can_be_limited():
    assert PersonalDataScrubber(kinds=("email",)).scrub("Kari, kari@example.no") == "Kari, [e-post]"


def test_transform_follows_the_estimator_api():
    scrubber = PersonalDataScrubber()
    assert scrubber.fit(["x"]) is scrubber
    assert scrubber.transform(["Ring 41683920", "ok"]) == ["Ring [telefon]", "ok"]
    assert scrubber.get_params() == {"kinds": scrubber.kinds, "max_name_words": 4, "recognisers": None,
                                     "language": None, "name_threshold": None}


def test_every_placeholder_is_known_to_the_text_tools():
    """Tokenising and theme phrases skip placeholders by one pattern, which must know them all."""
    from analysis.scrub import PLACEHOLDERS
    from analysis.text import PLACEHOLDER

    assert all(PLACEHOLDER.fullmatch(placeholder) for placeholder in PLACEHOLDERS.values())
