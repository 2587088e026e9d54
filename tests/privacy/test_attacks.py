"""The attacks of the last review, end to end over HTTP as HR would try them (issue 14).

1. Live figures: import a named leaver, watch the counts move when they answer, read their answers
   from the difference. Figures now cover closed quarters only, so an answer given today changes
   nothing any staff page or export shows until its quarter has ended.
"""
from __future__ import annotations

import re
from datetime import date

import pytest

from survey_app.models import Response, Unit
from survey_app.models._time import today
from survey_app.periods import quarter_label
from survey_app.privacy.periods import last_closed_quarter
from survey_app.services.questionnaires import ensure_version
from survey_app.services.responding import answer_rows, free_text_questions
from tests.conftest import login


def _exit(app, session, org, unit, reason: str, day: date, text: str = "") -> None:
    questionnaire = app.extensions["questionnaires"].get("sluttsamtale")
    response = Response(organisation_id=org.id, questionnaire_version_id=ensure_version(session, questionnaire).id,
                        unit_id=unit.id, language="nn", channel="invitation", submitted_on=day)
    response.answers = list(answer_rows({"main_reason": reason, "recommend": 3, "main_reason_text": text},
                                        free_text_questions(questionnaire)))
    session.add(response)


@pytest.fixture
def hr_with_history(app, session, org, client, make_user):
    unit = session.query(Unit).filter_by(code="HO-1").one()
    closed = last_closed_quarter(today())
    year, quarter = int(closed[:4]), int(closed[-1])
    day = date(year, 3 * quarter - 1, 15)
    for i in range(12):
        _exit(app, session, org, unit, ["lonn", "arbeidstid", "leiing"][i % 3], day, f"Svar nummer {i} om arbeidet")
    session.commit()
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    return client, unit


def _everything_hr_can_open(client) -> dict[str, bytes]:
    """The results page and the export of every table, for every period block HR can choose (and
    the spans of the old page, which must change nothing now)."""
    page = client.get("/org/testvik/resultat").get_data(as_text=True)
    periods = re.findall(r'<option value="(\d{4}(?:Q\d|H\d)?)"', page)
    assert periods, "the page offers no periods"
    seen = {}
    for period in periods + [quarter_label(today())]:  # and the running quarter asked for by hand
        for span in (1, 4, 8):
            query = f"period={period}&span={span}&by=sector"
            html = client.get(f"/org/testvik/resultat?{query}").get_data()
            # The page's CSRF token and the menu differ per request; the figures must not.
            seen[f"page {query}"] = re.sub(rb'name="csrf_token" value="[^"]+"', b"", html)
            for table in ("main_reason", "recommend"):
                seen[f"csv {table} {query}"] = client.get(
                    f"/org/testvik/resultat/eksport.csv?{query}&table={table}").get_data()
    return seen


def test_an_answer_given_today_changes_nothing_staff_can_see(app, session, org, hr_with_history):
    client, unit = hr_with_history
    offered = re.findall(r'<option value="(\d{4}(?:Q\d|H\d)?)"',
                         client.get("/org/testvik/resultat").get_data(as_text=True))
    assert offered[0] == last_closed_quarter(today()) and quarter_label(today()) not in offered
    before = _everything_hr_can_open(client)
    _exit(app, session, org, unit, "leiing", today(), "Eg sluttar fordi leiaren min aldri lyttar")
    session.commit()
    after = _everything_hr_can_open(client)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == []
    assert b"leiaren min aldri lyttar" not in b"".join(after.values())


# 2. Overlapping windows: views over 1, 4 and 8 quarters ending at any quarter, each suppressed on
#    its own, let a solver derive hidden quarters. Now every view is a fixed block (quarter,
#    half-year, year), and all of them are released together by the group gate.

def test_no_hidden_group_follows_from_every_export_hr_can_download(app, session, org, client, make_user):
    import csv
    import io

    import numpy as np

    from survey_app.privacy.periods import released_blocks

    sector = Unit(code="OP", name="Oppvekst", organisation_id=org.id)
    session.add(sector)
    session.flush()
    school = Unit(code="OP-1", name="Skule", organisation_id=org.id, parent_id=sector.id)
    kindergarten = Unit(code="OP-2", name="Barnehage", organisation_id=org.id, parent_id=sector.id)
    session.add_all([school, kindergarten])
    session.flush()
    home_care = session.query(Unit).filter_by(code="HO-1").one()
    blocks = released_blocks(today())
    quarters = sorted({q for b in blocks for q in b.quarters})
    small = quarters[2]
    counts = {}
    for q in quarters:
        year, number = int(q[:4]), int(q[-1])
        day = date(year, 3 * number - 1, 10)
        for unit, n in ((home_care, 6), (school, 6), (kindergarten, 2 if q == small else 6)):
            counts[(unit.id, q)] = n
            for i in range(n):
                _exit(app, session, org, unit, ["lonn", "leiing", "arbeidstid"][i % 3], day)
    session.commit()
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    cells = sorted(counts)
    column = {c: i for i, c in enumerate(cells)}
    members = {"Heimetenesta": [home_care.id], "Skule": [school.id], "Barnehage": [kindergarten.id],
               "Helse og omsorg": [home_care.id], "Oppvekst": [school.id, kindergarten.id],
               "I alt": [home_care.id, school.id, kindergarten.id]}
    equations, values = [], []
    # Every block on offer, and the windows the old page offered (1, 4 or 8 quarters up to any quarter).
    views = [f"period={b.label}" for b in blocks] + [f"period={q}&span={n}" for q in quarters for n in (1, 4, 8)]
    for view in views:
        page = client.get(f"/org/testvik/resultat?{view}").get_data(as_text=True)
        found = re.search(r"(\d{4}Q\d)(?:–(\d{4}Q\d))?, berre avslutta", page).groups()
        first, last = found[0], found[1] or found[0]
        covered = [q for q in quarters if first <= q <= last]
        for by in ("unit", "sector", "none"):
            answer = client.get(f"/org/testvik/resultat/eksport.csv?{view}&by={by}&table=main_reason")
            rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
            header, respondents = rows[0], rows[-1]
            for label, shown in zip(header[1:], respondents[1:]):
                if shown.isdigit():
                    vector = np.zeros(len(cells))
                    for unit_id in members[label]:
                        for q in covered:
                            vector[column[(unit_id, q)]] = 1
                    equations.append(vector)
                    values.append(int(shown))
                    assert int(shown) == sum(counts[(u, q)] for u in members[label] for q in covered)
    matrix = np.array(equations)
    basis = np.linalg.svd(matrix, full_matrices=False)[2][np.linalg.svd(matrix, compute_uv=False) > 1e-9]
    target = np.zeros(len(cells))
    target[column[(kindergarten.id, small)]] = 1
    assert np.linalg.norm(target - basis.T @ (basis @ target)) > 1e-6, "the small quarter follows from the exports"
    # ... while the page still shows most of what there is: every unit in the other quarters.
    assert len(equations) > 3 * len(blocks)


# 4. Two breakdowns, or a unit and a breakdown, subtracted person by person (found by an attack
#    pass): 25–34 years (7) less 50–79 % (6) was the one person under 50 %, and their answers.
#    Every breakdown and unit of a questionnaire is now one release over (unit, quarter, every
#    background answer).

def _table(client, **args) -> dict:
    import csv
    import io
    from urllib.parse import urlencode

    text = client.get("/org/testvik/resultat/eksport.csv?" + urlencode(args)).get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return {row[0]: dict(zip(rows[0][1:], row[1:])) for row in rows[1:]}


def _person(app, session, org, unit, day, **answers) -> None:
    questionnaire = app.extensions["questionnaires"].get("sluttsamtale")
    response = Response(organisation_id=org.id, questionnaire_version_id=ensure_version(session, questionnaire).id,
                        unit_id=unit.id, language="nn", channel="invitation", submitted_on=day)
    response.answers = list(answer_rows(answers, free_text_questions(questionnaire)))
    session.add(response)


def test_two_breakdowns_cannot_be_subtracted(app, session, org, client, make_user):
    unit = session.query(Unit).filter_by(code="HO-1").one()
    closed = last_closed_quarter(today())
    day = date(int(closed[:4]), 3 * int(closed[-1]) - 1, 15)
    _person(app, session, org, unit, day, age_band="a25_34", position_now=40, main_reason="helse", recommend=1)
    for age, position, reason in (("a25_34", 60, "lonn"), ("a35_44", 90, "arbeidstid"), ("a45_54", 100, "leiing")):
        for _ in range(6):
            _person(app, session, org, unit, day, age_band=age, position_now=position, main_reason=reason,
                    recommend=7)
    session.commit()
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    by_age = _table(client, period=closed, by="q:age_band", table="main_reason")
    by_position = _table(client, period=closed, by="q:position_now", table="main_reason")
    age_shown = by_age["Svar i alt"]["25–34 år"].isdigit()
    position_shown = by_position["Svar i alt"]["50–79 %"].isdigit()
    assert not (age_shown and position_shown)  # one of them gives way
    assert by_position["Svar i alt"]["< 50 %"] == "færre enn 5 svar"
    assert age_shown or position_shown  # and only one: the other is large and harmless on its own


def _second_unit(session, org):
    """Heimetenesta (HO-1) and a sibling under Helse og omsorg."""
    sector = session.query(Unit).filter_by(code="HO").one()
    other = Unit(code="HO-2", name="Sjukeheimen", organisation_id=org.id, parent_id=sector.id)
    session.add(other)
    session.flush()
    return session.query(Unit).filter_by(code="HO-1").one(), other


def _six_then_two(app, session, org):
    """Heimetenesta: six answers in 2025Q3 and two in 2025Q4; Sjukeheimen six in each."""
    small, other = _second_unit(session, org)
    for quarter, month in ((3, 8), (4, 11)):
        for _ in range(2 if quarter == 4 else 6):
            _person(app, session, org, small, date(2025, month, 15), main_reason="helse" if quarter == 4 else "lonn")
        for _ in range(6):
            _person(app, session, org, other, date(2025, month, 15), main_reason="arbeidstid")
    return small, other


# 5. The moving window (found by an attack pass): a quarter seen on the page last quarter, and the
#    half-year it falls in seen this quarter, gave the quarter after it. What a reader has been
#    shown is remembered, and counts as shown in every later release.

def test_what_was_shown_last_quarter_binds_this_quarter(app, session, org, client, make_user, monkeypatch):
    import survey_app.hr.dashboard as results_page

    small, other = _six_then_two(app, session, org)
    session.commit()
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    monkeypatch.setattr(results_page, "today", lambda: date(2025, 11, 15))
    assert _table(client, period="2025Q3", by="unit", table="main_reason")["Svar i alt"]["Heimetenesta"] == "6"
    monkeypatch.setattr(results_page, "today", lambda: date(2026, 2, 15))
    half = _table(client, period="2025H2", by="unit", table="main_reason")["Svar i alt"]["Heimetenesta"]
    quarter = _table(client, period="2025Q4", by="unit", table="main_reason")["Svar i alt"]["Heimetenesta"]
    assert quarter == "færre enn 5 svar"
    assert not half.isdigit()  # 8 less the 6 seen last quarter would be the 2 of 2025Q4


# 6. The turnover table against the leavers key figure (second attack pass): 2025H2's 22 leavers
#    less 2025Q3's turnover total of 19 gave 2025Q4's 3. The turnover table now shows a quarter's
#    leavers only where the leavers release (which ties quarters to half-years) shows that quarter.

def test_the_turnover_table_follows_the_leavers_release(app, session, org, client, make_user, monkeypatch):
    import survey_app.hr.dashboard as results_page
    from survey_app.models import Person

    first, second = _second_unit(session, org)
    for unit, count, day in ((first, 6, date(2025, 8, 31)), (second, 13, date(2025, 8, 31)),
                             (first, 3, date(2025, 11, 30))):
        for i in range(count):
            session.add(Person(organisation_id=org.id, kind="leaver", source_key=f"{unit.code}-{day}-{i}",
                               unit_id=unit.id, end_date=day))
    session.commit()
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    monkeypatch.setattr(results_page, "today", lambda: date(2026, 2, 15))

    def figures(period):
        html = client.get(f"/org/testvik/resultat?period={period}").get_data(as_text=True)
        leavers = re.search(r"Importerte som sluttar</dt><dd>(.*?)</dd>", html).group(1)
        total = re.search(r'<th scope="row">I alt</th><td class="num">(.*?)</td>', html).group(1)
        return re.sub(r"<[^>]+>", "", leavers), re.sub(r"<[^>]+>", "", total)
    half, _last_quarter_total = figures("2025H2")
    _q3, q3_total = figures("2025Q3")
    assert not (half.isdigit() and q3_total.isdigit())  # 22 - 19 would be 2025Q4's 3


# 7. A group wholly inside another (second attack pass): Heimetenesta (7) less those aged 25–34 (6,
#    all of them in Heimetenesta) was the one aged 35–44 there, and their answers. Every cell of
#    the finest table (unit, quarter, every background answer) is now protected as a group.

def test_a_group_inside_another_does_not_isolate_the_rest(app, session, org, client, make_user):
    first, second = _second_unit(session, org)
    closed = last_closed_quarter(today())
    day = date(int(closed[:4]), 3 * int(closed[-1]) - 1, 15)
    for _ in range(6):
        _person(app, session, org, first, day, age_band="a25_34", main_reason="lonn", recommend=7)
        _person(app, session, org, second, day, age_band="a35_44", main_reason="leiing", recommend=9)
    _person(app, session, org, first, day, age_band="a35_44", main_reason="helse", recommend=0)
    session.commit()
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    by_unit = _table(client, period=closed, by="unit", table="main_reason")["Svar i alt"]["Heimetenesta"]
    by_age = _table(client, period=closed, by="q:age_band", table="main_reason")["Svar i alt"]["25–34 år"]
    assert not (by_unit.isdigit() and by_age.isdigit())  # 7 - 6 would be the one aged 35–44
    assert by_unit.isdigit() or by_age.isdigit()


# 8. A leader's units change (third attack pass): what they were shown was remembered per set of
#    units, so a wider scope started an empty memory, and 2025H2 less the 2025Q3 seen before gave
#    2025Q4's two. Every leader scope's memory now binds every other scope sharing a unit with it.

def test_a_leader_whose_units_change_keeps_what_they_were_shown(app, session, org, client, make_user, monkeypatch):
    import survey_app.hr.dashboard as results_page
    from survey_app.models import Membership

    small, other = _six_then_two(app, session, org)
    leader = make_user("leiar@testvik.no")
    session.add(Membership(user_id=leader.id, organisation_id=org.id, role="leader", unit_id=small.id))
    session.commit()
    login(client, "leiar@testvik.no")
    monkeypatch.setattr(results_page, "today", lambda: date(2025, 11, 15))
    assert _table(client, period="2025Q3", by="unit", table="main_reason")["Svar i alt"]["Heimetenesta"] == "6"

    membership = session.query(Membership).filter_by(user_id=leader.id).one()
    membership.unit_id = small.parent_id  # now the leader of Helse og omsorg, Sjukeheimen included
    session.commit()
    monkeypatch.setattr(results_page, "today", lambda: date(2026, 2, 15))
    half = _table(client, period="2025H2", by="unit", table="main_reason")["Svar i alt"]["Heimetenesta"]
    assert not half.isdigit()  # 8 less the 6 seen as leader of Heimetenesta alone would be 2025Q4's 2


# 9. The organisation's figures against a leader's (third attack pass): HR's page and the report
#    show Helse og omsorg's 12; the leader of Heimetenesta saw their own 9, and 12 - 9 was
#    Sjukeheimen's 3. A leader's release now counts what the organisation's release shows.

def test_a_leaders_unit_cannot_be_subtracted_from_the_organisations_figures(app, session, org, client, make_user):
    from survey_app.models import Membership

    first, second = _second_unit(session, org)
    closed = last_closed_quarter(today())
    day = date(int(closed[:4]), 3 * int(closed[-1]) - 1, 15)
    for _ in range(9):
        _person(app, session, org, first, day, main_reason="lonn", recommend=7)
    for _ in range(3):
        _person(app, session, org, second, day, main_reason="leiing", recommend=0)
    make_user("hr@testvik.no", {org: ["hr"]})
    leader = make_user("leiar@testvik.no")
    session.add(Membership(user_id=leader.id, organisation_id=org.id, role="leader", unit_id=first.id))
    session.commit()
    login(client, "hr@testvik.no")
    organisation = _table(client, period=closed, by="sector", table="main_reason")["Svar i alt"]
    client.post("/logg-ut")
    login(client, "leiar@testvik.no")
    own = _table(client, period=closed, by="unit", table="main_reason")["Svar i alt"]["Heimetenesta"]
    assert organisation["Helse og omsorg"] == "12"
    assert not own.isdigit()  # 12 - 9 would be the three of Sjukeheimen, with their answers


# 10. Two analysis runs (third attack pass): a run over 2026Q3 and one over 2026Q3–Q4 were released
#     each on its own, and the second's writers less the first's were the two of 2026Q4. Runs over
#     the same question are now laid over the same writers.

def test_two_analysis_runs_cannot_be_subtracted(app, session, org, client, make_user):
    from survey_app.privacy import comment_minimum
    from survey_app.services.analysis_runs import RUN, run_analysis, run_gate

    unit = session.query(Unit).filter_by(code="HO-1").one()
    topics = ["turnus og vakter", "løn og tillegg", "leiar som ikkje lyttar", "for lita stilling"]
    for i in range(12):
        _exit(app, session, org, unit, "lonn", date(2025, 8, 1 + i), f"Eg slutta på grunn av {topics[i % 4]} nr {i}")
    for i in range(2):
        _exit(app, session, org, unit, "leiing", date(2025, 11, 3 + i), f"Leiaren min lytta aldri, sa {i}")
    session.commit()
    minimum = comment_minimum(org.min_group_size)
    first = run_analysis(session, org, "2025Q3", quarters=1)
    second = run_analysis(session, org, "2025Q4", quarters=2)
    session.commit()
    _rows, gate = run_gate(session, first, minimum)
    assert gate.status((RUN,)) == "shown"
    _rows, later = run_gate(session, second, minimum)
    assert later.sizes[(RUN,)] == 14
    assert later.status((RUN,)) != "shown"  # 14 less the 12 of the first run would be 2025Q4's two
    assert later.audit() == []
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    page = client.get(f"/org/testvik/analyse/{second.id}").get_data(as_text=True)
    assert "haldne tilbake" in page and "14 fritekstsvar" not in page
