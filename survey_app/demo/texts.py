"""Phrase banks for demo free text: per cause and language, combined at random for variety.

Written for the demo only; they are not the evaluation data and not real answers.
"""
from __future__ import annotations

import random

REASON_PHRASES: dict[str, dict[str, list[str]]] = {
    "lonn": {
        "nn": ["Løna står ikkje i forhold til ansvaret eg har.", "Eg får fleire tusen meir i månaden i nabokommunen.",
               "Med denne løna klarer eg ikkje å betale lånet.", "Lønsutviklinga har stått stille i mange år.",
               "Tillegga for kveld og helg er for små."],
        "nb": ["Lønnen står ikke i forhold til ansvaret jeg har.", "Jeg får flere tusen mer i måneden i nabokommunen.",
               "Med denne lønnen klarer jeg ikke å betjene lånet.", "Lønnsutviklingen har stått stille i mange år.",
               "Tilleggene for kveld og helg er for små."],
        "en": ["The pay does not match the responsibility.", "I am offered a much better salary elsewhere."],
    },
    "arbeidstid": {
        "nn": ["Eg har berre 50 prosent stilling og treng meir for å klare meg.", "Turnusen med kvar tredje helg slit på familien.",
               "Eg har spurt om større stilling i to år utan å få det.", "Delte vakter gjer at dagane blir altfor lange.",
               "Eg fekk tilbod om heil stilling ein annan stad."],
        "nb": ["Jeg har bare 50 prosent stilling og trenger mer for å klare meg.", "Turnusen med hver tredje helg sliter på familien.",
               "Jeg har spurt om større stilling i to år uten å få det.", "Delte vakter gjør at dagene blir altfor lange.",
               "Jeg fikk tilbud om hel stilling et annet sted."],
        "en": ["I only have a part-time position and need full time.", "The rota with many weekends is hard with small children."],
    },
    "leiing": {
        "nn": ["Leiaren min er nesten aldri til stades.", "Vi har hatt fire ulike leiarar på tre år.",
               "Eg opplever ikkje å bli høyrd når eg tek opp problem.", "Leiinga tek avgjerder utan å involvere oss.",
               "Det manglar tydeleg leiing i avdelinga."],
        "nb": ["Lederen min er nesten aldri til stede.", "Vi har hatt fire ulike ledere på tre år.",
               "Jeg opplever ikke å bli hørt når jeg tar opp problemer.", "Ledelsen tar beslutninger uten å involvere oss.",
               "Det mangler tydelig ledelse i avdelingen."],
        "en": ["My manager is hardly ever available.", "Decisions are made without asking the staff."],
    },
    "arbeidsmiljo": {
        "nn": ["Det er mykje baksnakking i personalgruppa.", "Eg har stått i ein konflikt som aldri vart løyst.",
               "Eg kjenner meg utanfor på arbeidsplassen.", "Tonen mellom kollegaene har vorte hard.",
               "Nye tilsette blir ikkje inkluderte."],
        "nb": ["Det er mye baksnakking i personalgruppen.", "Jeg har stått i en konflikt som aldri ble løst.",
               "Jeg føler meg utenfor på arbeidsplassen.", "Tonen mellom kollegene har blitt hard.",
               "Nye ansatte blir ikke inkludert."],
        "en": ["There is a lot of gossip among the staff.", "A conflict with colleagues was never resolved."],
    },
    "belastning": {
        "nn": ["Vi er for få på jobb og eg rekk ikkje å gjere jobben forsvarleg.", "Eg går heim kvar dag med dårleg samvit.",
               "Sjukefråvær blir ikkje erstatta, så vi spring heile tida.", "Arbeidsmengda har auka utan at bemanninga har auka.",
               "Eg er utsliten etter fleire år med for mykje å gjere."],
        "nb": ["Vi er for få på jobb og jeg rekker ikke å gjøre jobben forsvarlig.", "Jeg går hjem hver dag med dårlig samvittighet.",
               "Sykefravær blir ikke erstattet, så vi løper hele tiden.", "Arbeidsmengden har økt uten at bemanningen har økt.",
               "Jeg er utslitt etter flere år med for mye å gjøre."],
        "en": ["We are always understaffed and I cannot do the job properly.", "The workload has become too much."],
    },
    "utvikling": {
        "nn": ["Eg får ikkje ta vidareutdanning sjølv om eg har søkt fleire gonger.", "Det finst ingen karrierevegar her.",
               "Eg vil bruke spesialkompetansen min, men det er ikkje rom for det.", "Eg treng nye utfordringar fagleg.",
               "Kurs blir alltid kutta først når budsjettet er stramt."],
        "nb": ["Jeg får ikke ta videreutdanning selv om jeg har søkt flere ganger.", "Det finnes ingen karriereveier her.",
               "Jeg vil bruke spesialkompetansen min, men det er ikke rom for det.", "Jeg trenger nye faglige utfordringer.",
               "Kurs blir alltid kuttet først når budsjettet er stramt."],
        "en": ["There is no room for professional development.", "I want to use my specialist training."],
    },
    "flytting": {
        "nn": ["Vi flyttar nærare familien.", "Sambuaren min har fått jobb i ein annan by.",
               "Reisevegen på over ein time kvar veg vart for mykje.", "Vi fann ikkje bustad vi hadde råd til her."],
        "nb": ["Vi flytter nærmere familien.", "Samboeren min har fått jobb i en annen by.",
               "Reiseveien på over en time hver vei ble for mye.", "Vi fant ikke bolig vi hadde råd til her."],
        "en": ["We are moving closer to family.", "My partner got a job in another city."],
    },
    "pensjon": {
        "nn": ["Eg går av med pensjon.", "Etter mange år i kommunen er det tid for pensjon.", "Eg tek ut AFP."],
        "nb": ["Jeg går av med pensjon.", "Etter mange år i kommunen er det tid for pensjon.", "Jeg tar ut AFP."],
        "en": ["I am retiring."],
    },
    "helse": {
        "nn": ["Ryggen min toler ikkje lenger det fysiske arbeidet.", "Eg må slutte av helsemessige grunnar.",
               "Eg har vore sjukmeld lenge og klarer ikkje å kome tilbake i same jobb."],
        "nb": ["Ryggen min tåler ikke lenger det fysiske arbeidet.", "Jeg må slutte av helsemessige årsaker.",
               "Jeg har vært sykmeldt lenge og klarer ikke å komme tilbake i samme jobb."],
        "en": ["My health no longer allows me to do this work."],
    },
    "utdanning": {
        "nn": ["Eg skal byrje å studere sjukepleie til hausten.", "Eg har kome inn på master og skal studere på fulltid.",
               "Eg tek fagbrev og må ha praksis ein annan stad."],
        "nb": ["Jeg skal begynne å studere sykepleie til høsten.", "Jeg har kommet inn på master og skal studere på heltid.",
               "Jeg tar fagbrev og må ha praksis et annet sted."],
        "en": ["I am starting full-time studies."],
    },
    "omstilling": {
        "nn": ["Avdelinga vart lagd ned og eg fekk ikkje ein jobb eg ville ha.", "Etter omorganiseringa er arbeidsoppgåvene heilt endra.",
               "Samanslåinga av einingane har skapt mykje uro."],
        "nb": ["Avdelingen ble lagt ned og jeg fikk ikke en jobb jeg ville ha.", "Etter omorganiseringen er arbeidsoppgavene helt endret.",
               "Sammenslåingen av enhetene har skapt mye uro."],
        "en": ["After the reorganisation my job changed completely."],
    },
    "mottak": {
        "nn": ["Eg fekk nesten inga opplæring dei første vekene.", "Jobben var heilt annleis enn det som stod i utlysinga.",
               "Det eg vart lova i intervjuet vart ikkje halde.", "Ingen visste at eg skulle byrje den første dagen."],
        "nb": ["Jeg fikk nesten ingen opplæring de første ukene.", "Jobben var helt annerledes enn det som sto i utlysningen.",
               "Det jeg ble lovet i intervjuet ble ikke holdt.", "Ingen visste at jeg skulle begynne den første dagen."],
        "en": ["I got almost no training when I started.", "The job was not what the advertisement described."],
    },
    "anna": {
        "nn": ["Det er fleire små ting som til saman gjer at eg vil prøve noko nytt."],
        "nb": ["Det er flere små ting som til sammen gjør at jeg vil prøve noe nytt."],
        "en": ["A mix of small things made me want to try something new."],
    },
}

STAY_PHRASES = {
    "nn": ["Større stilling og fast turnus.", "Betre løn.", "Ein leiar som var meir til stades.", "Meir folk på jobb.",
           "Høve til vidareutdanning.", "At nokon hadde spurt meg tidlegare.", "Betre opplæring i starten."],
    "nb": ["Større stilling og fast turnus.", "Bedre lønn.", "En leder som var mer til stede.", "Flere folk på jobb.",
           "Mulighet for videreutdanning.", "At noen hadde spurt meg tidligere.", "Bedre opplæring i starten."],
    "en": ["A larger position.", "Better pay.", "More staff on each shift."],
}

IMPROVE_PHRASES = {
    "nn": ["Ein fast fadder dei første vekene.", "Tilgang til datasystema frå første dag.", "Ein plan for opplæringa.",
           "Meir tid saman med erfarne kollegaer.", "Betre informasjon før oppstart."],
    "nb": ["En fast fadder de første ukene.", "Tilgang til datasystemene fra første dag.", "En plan for opplæringen.",
           "Mer tid sammen med erfarne kolleger.", "Bedre informasjon før oppstart."],
    "en": ["A buddy for the first weeks.", "Access to the IT systems from day one."],
}

# A few answers carry personal details, so the scrubber has real work in the demo.
PERSONAL_TAILS = {
    "nn": [" Ring meg gjerne på 412 34 567.", " Spør Kari Nordmann om ho vil fortelje meir.", " Du når meg på ola.test@example.com."],
    "nb": [" Ring meg gjerne på 913 45 678.", " Spør Per Hansen om han vil fortelle mer.", " Du når meg på per.test@example.com."],
    "en": [" Call me on +47 400 11 222."],
}


def reason_text(rng: random.Random, cause: str, lang: str) -> str:
    bank = REASON_PHRASES[cause][lang]
    parts = rng.sample(bank, k=min(len(bank), rng.choice([1, 1, 2])))
    text = " ".join(parts)
    if rng.random() < 0.04:
        text += rng.choice(PERSONAL_TAILS[lang])
    return text


def pick(rng: random.Random, bank: dict[str, list[str]], lang: str) -> str:
    return rng.choice(bank[lang])
