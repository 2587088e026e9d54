"""Create "Demo kommune": units, an HR account, ~500 responses over the last eight quarters, links."""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.definitions.answers import visible_answers
from survey_app.definitions.model import Questionnaire
from survey_app.demo import texts
from survey_app.models import (
    Action, Answer, Headcount, Invitation, InvitationStatus, Membership, Organisation, Person, QuestionnaireVersion,
    Region, Response, Unit, User, hash_token,
)
from survey_app.models._time import today, utcnow
from survey_app.services import regions
from survey_app.services.questionnaires import ensure_version
from survey_app.periods import previous_quarters, quarter_label
from survey_app.services.responding import answer_rows, free_text_questions, new_secret
from survey_app.written import other_standard

DEMO_SLUG = "demo"
HR_EMAIL = "hr@demo.kvifor.no"
# Neighbours on the same host installation, for the regional report: (slug, name, share of responses).
NEIGHBOURS = (("nabo", "Nabo kommune", 0.5), ("vesle", "Vesle kommune", 0.15))
REGION_SLUG = "demo-region"

UNITS = {
    ("helse_omsorg", "Helse og omsorg"): [("HO-HTN", "Heimetenesta nord"), ("HO-HTS", "Heimetenesta sør"),
                                          ("HO-BBS", "Bu- og behandlingssenteret"), ("HO-LV", "Legevakta")],
    ("oppvekst", "Oppvekst"): [("OV-SS", "Sentrum skule"), ("OV-BS", "Bygda skule"),
                               ("OV-TB", "Tusenfryd barnehage"), ("OV-SB", "Solsikka barnehage")],
    ("teknisk", "Teknisk drift og samfunnsutvikling"): [("TE-VA", "Vatn og avløp"), ("TE-VP", "Veg og park"),
                                                        ("TE-EI", "Eigedom")],
    ("kultur", "Kultur"): [("KU-BI", "Biblioteket"), ("KU-KS", "Kulturskulen")],
    ("administrasjon", "Administrasjon og stab"): [("AD-OK", "Økonomi"), ("AD-PO", "Personal og organisasjon"),
                                                   ("AD-ST", "Servicetorget")],
}
SECTOR_WEIGHTS = {"helse_omsorg": 45, "oppvekst": 25, "teknisk": 12, "kultur": 5, "administrasjon": 13}
# Health and care lose people to shifts and workload; the rest more evenly.
CAUSE_WEIGHTS = {
    "helse_omsorg": {"arbeidstid": 20, "belastning": 18, "lonn": 10, "leiing": 8, "arbeidsmiljo": 8, "utvikling": 6,
                     "flytting": 7, "pensjon": 6, "helse": 6, "utdanning": 5, "omstilling": 3, "mottak": 5, "anna": 2},
    "default": {"arbeidstid": 5, "belastning": 10, "lonn": 14, "leiing": 11, "arbeidsmiljo": 10, "utvikling": 12,
                "flytting": 10, "pensjon": 8, "helse": 4, "utdanning": 6, "omstilling": 5, "mottak": 5, "anna": 2},
}
MIX = {"sluttsamtale": 0.6, "onboarding": 0.24, "laerling": 0.07, "rekruttering": 0.09}
LANGUAGE_WEIGHTS = {"nn": 62, "nb": 30, "en": 8}


@dataclass
class SeedResult:
    organisation: Organisation
    responses_created: int
    hr_email: str
    hr_password: str
    links: dict[str, str] = field(default_factory=dict)


def run(session: Session, registry, responses: int = 500, seed: int = 2026, reset: bool = False) -> SeedResult:
    rng = random.Random(seed)
    organisation = session.scalars(select(Organisation).filter_by(slug=DEMO_SLUG)).first()
    if organisation is not None and reset:
        session.delete(organisation)
        session.flush()
        organisation = None
    created = 0
    if organisation is None:
        organisation = create_organisation(session)
        created = _create_responses(session, registry, organisation, rng, responses)
        _create_people_and_headcount(session, organisation, rng)
        _create_upcoming_leavers(session, organisation, random.Random(seed + 2))
        _create_region(session, registry, organisation, random.Random(seed + 1), responses)
    password = _reset_hr_account(session, organisation)
    links = _create_links(session, registry, organisation)
    session.commit()
    return SeedResult(organisation, created, HR_EMAIL, password, links)


def _create_region(session: Session, registry, demo: Organisation, rng: random.Random, responses: int) -> None:
    """Two smaller neighbours and a region of all three, so the regional report has something to compare."""
    members = [demo]
    for slug, name, part in NEIGHBOURS:
        old = session.scalars(select(Organisation).filter_by(slug=slug)).first()
        if old is not None:
            session.delete(old)
            session.flush()
        neighbour = create_organisation(session, slug, name, "nb")
        _create_responses(session, registry, neighbour, rng, round(responses * part))
        _create_people_and_headcount(session, neighbour, rng)
        members.append(neighbour)
    region = session.scalars(select(Region).filter_by(slug=REGION_SLUG)).first() or Region(slug=REGION_SLUG)
    region.name, region.written_standard = "Demoregionen", "nb"
    regions.set_members(session, region, members)  # the demo's own municipalities are in no other region
    session.add(region)


def create_organisation(session: Session, slug: str = DEMO_SLUG, name: str = "Demo kommune",
                        written_standard: str = "nn") -> Organisation:
    """An organisation with the demo's unit tree (five sectors and their units)."""
    organisation = Organisation(slug=slug, name=name, written_standard=written_standard, min_group_size=5)
    session.add(organisation)
    for (code, name), children in UNITS.items():
        sector = Unit(code=code, name=name, organisation=organisation)
        session.add(sector)
        for child_code, child_name in children:
            session.add(Unit(code=child_code, name=child_name, organisation=organisation, parent=sector))
    session.flush()
    return organisation


def _reset_hr_account(session: Session, organisation: Organisation) -> str:
    user = session.scalars(select(User).filter_by(email=HR_EMAIL)).first()
    if user is None:
        user = User(email=HR_EMAIL, name="HR Demo kommune")
        session.add(user)
    # A fresh random password each time the demo is seeded: nothing guessable is ever left running.
    password = "-".join(secrets.token_hex(2) for _ in range(4))
    user.set_password(password)
    session.flush()
    for role in ("hr", "admin"):
        exists = session.scalars(select(Membership).filter_by(
            user_id=user.id, organisation_id=organisation.id, role=role)).first()
        if exists is None:
            session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role))
    return password


def _create_links(session: Session, registry, organisation: Organisation) -> dict[str, str]:
    links = {}
    unit = session.scalars(select(Unit).filter_by(organisation_id=organisation.id, code="HO-HTN")).first()
    for questionnaire in registry:
        token = new_secret()
        session.add(Invitation(
            organisation_id=organisation.id, questionnaire_key=questionnaire.key, unit_id=unit.id if unit else None,
            token_hash=hash_token(token), expires_at=utcnow() + timedelta(days=30),
        ))
        links[questionnaire.key] = token
    return links


def _create_responses(session: Session, registry, organisation: Organisation, rng: random.Random, total: int) -> int:
    quarters = previous_quarters(today(), 8)
    units_by_sector: dict[str, list[Unit]] = {}
    for unit in organisation.units:
        if unit.parent is not None:
            units_by_sector.setdefault(unit.parent.code, []).append(unit)
    versions = {q.key: (q, ensure_version(session, q)) for q in registry}
    count = 0
    for key, share in MIX.items():
        if key not in versions:
            continue
        questionnaire, version = versions[key]
        for _ in range(round(total * share)):
            quarter_index = rng.randrange(len(quarters))
            submitted = quarters[quarter_index] + timedelta(days=rng.randrange(90))
            sector = _weighted(rng, SECTOR_WEIGHTS)
            lang = _weighted(rng, LANGUAGE_WEIGHTS)
            answers = generate_answers(questionnaire, rng, sector=sector, lang=lang, trend=quarter_index / 7)
            response = Response(
                organisation_id=organisation.id, questionnaire_version_id=version.id,
                unit_id=rng.choice(units_by_sector[sector]).id, language=lang,
                channel=rng.choice(["invitation"] * 8 + ["open_link"] + ["interview"] * (key == "sluttsamtale")),
                submitted_on=submitted,
            )
            response.answers = list(answer_rows(answers, free_text_questions(questionnaire)))
            session.add(response)
            count += 1
    session.flush()
    return count


def _create_people_and_headcount(session: Session, organisation: Organisation, rng: random.Random) -> None:
    """Imported leavers and new hires with their invitations, and headcount per unit, so turnover and
    response rates have something to show. Older people have had their identity erased already,
    as the retention rules would have done."""
    quarters = previous_quarters(today(), 8)
    units = [u for u in organisation.units if u.parent is not None]
    now = utcnow()
    counter = 0
    hires_rng = random.Random(rng.random())  # its own stream, so the leavers stay as they were
    for quarter_start in quarters:
        period = quarter_label(quarter_start)
        answered = session.scalar(select(func.count(Response.id)).join(
            QuestionnaireVersion, Response.questionnaire_version_id == QuestionnaireVersion.id).where(
            Response.organisation_id == organisation.id, QuestionnaireVersion.questionnaire_key == "sluttsamtale",
            Response.submitted_on >= quarter_start, Response.submitted_on < quarter_start + timedelta(days=92))) or 0
        for unit in units:
            size = rng.randint(60, 160) if unit.parent.code == "helse_omsorg" else rng.randint(25, 90)
            session.add(Headcount(organisation_id=organisation.id, unit_id=unit.id, period=period, headcount=size))
        weights = [SECTOR_WEIGHTS[u.parent.code] / len([x for x in units if x.parent is u.parent]) for u in units]
        leavers = round(answered / 0.62)
        for index in range(leavers):
            counter += 1
            unit = rng.choices(units, weights=weights)[0]
            end = quarter_start + timedelta(days=rng.randrange(88))
            sent = datetime.combine(end - timedelta(days=14), datetime.min.time()) + timedelta(hours=9)
            expires = sent + timedelta(days=30)
            erased = expires + timedelta(days=30) < now
            person = Person(organisation_id=organisation.id, kind="leaver", source_key=f"demo-{counter}",
                            name=None if erased else f"Demo Person {counter}",
                            email_private=None if erased else f"person{counter}@example.invalid",
                            unit_id=unit.id, position_pct=rng.choice([40, 50, 60, 75, 80, 100, 100]),
                            end_date=end, age_band=rng.choice(["under_25", "a25_34", "a35_44", "a45_54", "a55_61"]),
                            identity_deleted_at=expires + timedelta(days=30) if erased else None)
            session.add(person)
            session.flush()
            status = InvitationStatus.used if index < answered else (
                InvitationStatus.expired if expires < now else InvitationStatus.sent)
            session.add(Invitation(organisation_id=organisation.id, questionnaire_key="sluttsamtale", unit_id=unit.id,
                                   person_id=person.id, token_hash=hash_token(new_secret()), status=status,
                                   send_after=sent, sent_at=sent, last_sent_at=sent, sent_to="private",
                                   expires_at=expires,
                                   answered_quarter=quarter_label(sent.date()) if status is InvitationStatus.used
                                   else None))
        # New hires, a few less than leavers: a municipality that struggles to fill its positions.
        # Their identity is already erased; what remains is what the report counts.
        for _ in range(round(leavers * hires_rng.uniform(0.7, 1.0))):
            counter += 1
            session.add(Person(organisation_id=organisation.id, kind="new_hire", source_key=f"demo-{counter}",
                               unit_id=hires_rng.choices(units, weights=weights)[0].id,
                               position_pct=hires_rng.choice([50, 75, 80, 100, 100]),
                               start_date=quarter_start + timedelta(days=hires_rng.randrange(88)),
                               identity_deleted_at=now))
    session.flush()


UPCOMING_LEAVERS = 8


def _create_upcoming_leavers(session: Session, organisation: Organisation, rng: random.Random) -> None:
    """People leaving in the coming weeks, imported with name and address and invited but not yet
    answered: whom HR can hold an exit interview with, and whom a request for access can find."""
    units = session.scalars(select(Unit).where(Unit.organisation_id == organisation.id,
                                               Unit.parent_id.is_not(None)).order_by(Unit.id)).all()
    now = utcnow()
    for number in range(1, UPCOMING_LEAVERS + 1):
        unit = rng.choice(units)
        end = today() + timedelta(days=rng.randrange(7, 40))
        person = Person(organisation_id=organisation.id, kind="leaver", source_key=f"demo-upcoming-{number}",
                        name=f"Demo Sluttar {number}", email_private=f"sluttar{number}@example.invalid",
                        unit_id=unit.id, position_pct=rng.choice([50, 75, 80, 100]), end_date=end,
                        age_band=rng.choice(["a25_34", "a35_44", "a45_54"]))
        session.add(person)
        session.flush()
        session.add(Invitation(organisation_id=organisation.id, questionnaire_key="sluttsamtale", unit_id=unit.id,
                               person_id=person.id, token_hash=hash_token(new_secret()),
                               status=InvitationStatus.sent, send_after=now, sent_at=now, last_sent_at=now,
                               sent_to="private", expires_at=now + timedelta(days=30)))
    session.flush()


def review(session: Session, registry, organisation: Organisation, run, with_actions: bool = True) -> None:
    """What HR would do after the first analysis: name the themes, clear a few quotes and record two
    actions, so the demo's quarterly report shows every section. Only representative answers of
    themes big enough for quotes, only ones where the scrubber removed nothing, and never two that
    say nearly the same, are cleared."""
    from survey_app.services.analysis_runs import MIN_QUOTE_GROUP, theme_sizes

    _name_themes(session, registry, run, organisation.written_standard)
    sizes = theme_sizes(session, run)
    cleared: dict[int, list[set[str]]] = {}
    for row in sorted(run.rows, key=lambda r: r.id):
        text = session.get(Answer, row.answer_id).value_scrubbed or ""
        words = set(text.lower().split())
        chosen = cleared.setdefault(row.theme_id, [])
        if (row.representative and row.theme_id and sizes.get(row.theme_id, 0) >= MIN_QUOTE_GROUP
                and "[" not in text and 40 <= len(text) <= 240 and len(chosen) < 2
                and all(len(words & other) < 0.5 * min(len(words), len(other)) for other in chosen)):
            row.quote_usable = True
            chosen.append(words)
    if not with_actions:
        session.commit()
        return
    started = previous_quarters(today(), 3)[0]
    session.add_all([
        Action(organisation_id=organisation.id, title="Fleire heile stillingar og langvakter i heimetenesta",
               description="Ny turnus med langvakter annakvar helg, slik at fleire kan få 100 % stilling.",
               responsible="Kommunalsjef helse og omsorg", cause="arbeidstid", started_on=started,
               due_on=started + timedelta(days=365), status="started",
               translations={"nb": {"title": "Flere hele stillinger og langvakter i hjemmetjenesten",
                                    "description": "Ny turnus med langvakter annenhver helg, slik at flere kan få "
                                                   "100 % stilling."}}),
        Action(organisation_id=organisation.id, title="Bemanningsplan for ferieavvikling",
               description="Vikarpool og tidleg planlegging av sommarferien i heimetenestene.",
               responsible="Einingsleiar heimetenesta", cause="belastning",
               started_on=previous_quarters(today(), 1)[0], status="planned",
               translations={"nb": {"title": "Bemanningsplan for ferieavvikling",
                                    "description": "Vikarpool og tidlig planlegging av sommerferien i "
                                                   "hjemmetjenestene."}}),
    ])
    session.commit()


def _name_themes(session: Session, registry, run, language: str) -> None:
    """A theme is named after the cause most of its answers were read as, as HR would after reading
    them; a second theme of the same cause adds its most telling word."""
    from survey_app.services.analysis_runs import rename_theme

    reason = registry.get("sluttsamtale").question("main_reason")
    used: set[str] = set()
    for theme in sorted(run.themes, key=lambda t: -len(t.rows)):
        causes = [row.cause for row in theme.rows if row.cause in reason.choice_values]
        if not causes:
            continue
        cause = max(set(causes), key=causes.count)
        label, other = reason.choice_text(cause, language), reason.choice_text(cause, other_standard(language))
        if label in used and theme.top_terms:
            label, other = f"{label} ({theme.top_terms[0]})", f"{other} ({theme.top_terms[0]})"
        used.add(label)
        # HR names the themes in both written standards, so the report in either reads as one.
        rename_theme(session, theme, label, (other_standard(language), other))


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def generate_answers(questionnaire: Questionnaire, rng: random.Random, sector: str, lang: str,
                     trend: float = 0.5) -> dict:
    """Plausible answers for any questionnaire; a few questions get domain-shaped values."""
    answers: dict = {}
    cause = None
    if questionnaire.key == "sluttsamtale":
        weights = dict(CAUSE_WEIGHTS.get(sector, CAUSE_WEIGHTS["default"]))
        weights["belastning"] *= 0.7 + 0.8 * trend  # workload grows as a cause over the period
        cause = _weighted(rng, weights)
    mood = -1.0 if cause in ("leiing", "arbeidsmiljo", "belastning", "mottak") else 0.4
    for question in questionnaire.questions:
        if not question.is_visible(answers):
            continue
        if not question.required and rng.random() < 0.08:
            continue  # people skip the odd question
        value = _special_value(question.name, cause, sector, lang, rng, answers, mood)
        if value is None:
            value = _generic_value(question, rng, mood)
        if value is not None:
            answers[question.name] = value
    return visible_answers(questionnaire, answers)


def _special_value(name: str, cause, sector, lang, rng, answers, mood):
    if name == "sector":
        return sector
    if name == "main_reason":
        return cause
    if name == "other_reasons":
        others = [c for c in CAUSE_WEIGHTS["default"] if c not in (cause, "anna")]
        return sorted(rng.sample(others, k=rng.choice([0, 1, 1, 2, 3]))) or None
    if name == "main_reason_text":
        return texts.reason_text(rng, cause, lang) if rng.random() < 0.75 else None
    if name == "stay_text":
        return texts.pick(rng, texts.STAY_PHRASES, lang) if rng.random() < 0.5 else None
    if name in ("improve_text", "comment_text"):
        return texts.pick(rng, texts.IMPROVE_PHRASES, lang) if rng.random() < 0.55 else None
    if name == "position_now":
        return rng.choice([40, 50, 60, 75, 80, 100] if sector == "helse_omsorg" else [60, 80, 100, 100, 100])
    if name == "wanted_larger":
        small = answers.get("position_now", 100) < 100
        return "yes" if small and (cause == "arbeidstid" or rng.random() < 0.35) else "no"
    if name == "position_wanted":
        return rng.choice([p for p in (80, 100) if p > answers.get("position_now", 0)] or [100])
    if name == "destination":
        fixed = {"pensjon": "retirement", "utdanning": "studies"}
        return fixed.get(cause) or rng.choice(["other_municipality", "private", "state", "state", "other", "no_answer"])
    if name == "voluntary":
        return "retirement" if cause == "pensjon" else rng.choice(["resigned"] * 8 + ["fixed_term", "employer"])
    if name == "tenure" and cause == "mottak":
        return "under_1"
    if name == "recommend":
        return max(0, min(10, round(rng.gauss(6.5 + 1.5 * mood, 2))))
    if name in ("final_comment", "why_not_text", "start_date"):
        return None
    return None


def _generic_value(question, rng, mood):
    qtype = question.type
    if qtype in ("single_choice", "yes_no"):
        return rng.choice(question.choice_values)
    if qtype == "multi_choice":
        return sorted(rng.sample(question.choice_values, k=rng.randint(1, 2)))
    if qtype == "likert5":
        return max(1, min(5, round(rng.gauss(3.4 + 0.6 * mood, 1))))
    if qtype == "scale0_10":
        return max(0, min(10, round(rng.gauss(7 + mood, 2))))
    if qtype == "number":
        low, high = question.data.get("min", 0), question.data.get("max", 100)
        return rng.randint(int(low), int(min(high, low + 12)))
    return None
