"""Small answer sets written for these tests (not the development set), in the three languages."""
from __future__ import annotations

import pytest

ANSWERS = {
    "lonn": ["Løna er for låg for det ansvaret vi har.", "Jeg får mye bedre betalt i et privat firma.",
             "The salary here is far below what other employers pay.", "Eg tener fem tusen meir i månaden hjå nabokommunen.",
             "Lønnsutviklingen har stått stille i mange år.", "Lønna held ikkje tritt med prisane."],
    "arbeidstid": ["Eg har berre 40 prosent stilling og treng heiltid.", "Turnusen med hver tredje helg passer ikke med små barn.",
                   "I only got a part-time position and need full time.", "Jeg fikk tilbud om fast stilling i full stilling et annet sted.",
                   "Nattevakter og delte vakter gjer kvardagen umogleg.", "Vaktplanen blir endra heile tida."],
    "pensjon": ["Eg går av med pensjon etter mange år.", "Jeg tar ut AFP fra nyttår.", "I am retiring this spring.",
                "Jeg fyller 67 år og går av med alderspensjon.", "Tida er inne for pensjon og barnebarn.",
                "Eg har jobba i 40 år og går av med pensjon no."],
    "flytting": ["Vi flyttar nærare familien i Trondheim.", "Samboeren min har fått jobb i Bodø, så vi flytter.",
                 "We are moving back to my home country.", "Reisevegen vart for lang når vi flytta.",
                 "Jeg flytter hjem til foreldrene mine.", "Vi fann ikkje bustad her og flyttar til byen."],
}


@pytest.fixture
def labelled():
    texts, labels = [], []
    for cause, answers in ANSWERS.items():
        texts += answers
        labels += [cause] * len(answers)
    return texts, labels
