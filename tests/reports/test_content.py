"""The report's figures against hand counts on the fixture in conftest.py (minimum group size 5).

2026Q3, main reason:   pay 9 (6 home care + 3 school), working hours 7, leadership 2 → 18 answers.
Leadership (2) is too small; working hours (7) is hidden with it so that neither can be worked out
from the total. Under a year: working hours 7 and leadership 2 (9 of 18); part-time leavers: 9,
all wanted a larger position. Leavers from the HR system: 18 (12 a year earlier); employees 180.
"""
from __future__ import annotations

import pytest

from survey_app.reports.content import prepare


@pytest.fixture
def content(app, session, report_org):
    with app.app_context():
        return prepare(session, report_org, "2026Q3", "nn", app.extensions["questionnaires"])


def row(table: dict, label: str) -> list:
    return next(r["values"] for r in table["rows"] if r["label"] == label)


def test_key_figures_compare_with_last_quarter_and_last_year(content):
    figures = content["key_figures"]
    assert figures["columns"] == ["3. kvartal 2025", "2. kvartal 2026", "3. kvartal 2026"]
    assert row(figures, "Personar som slutta (frå HR-systemet)") == [12, 0, 18]
    assert row(figures, "Svar på sluttsamtalen") == [10, 6, 18]
    assert row(figures, "Turnover (avgangar per tilsett)")[2] == pytest.approx(10.0)


def test_causes_trend_hides_small_groups_and_their_complement(content):
    trend = content["causes"]["trend"]
    assert trend["columns"][-1] == "3. kv. 2026"
    assert row(trend, "Løn")[-1] == 9
    assert row(trend, "Arbeidstid, turnus eller for lita stilling")[-1] is None  # 7, hidden to protect 2
    assert row(trend, "Leiing")[-1] is None                                      # 2
    assert row(trend, "Svarte")[-1] == 18
    assert row(trend, "Løn")[-2] == 6 and row(trend, "Løn")[-5] == 5
    # The chart shows pay and the hidden ones together, never one small group.
    assert content["causes"]["chart"]["items"] == [["Løn", 50.0], ["Andre svar samla", 50.0]]


def test_early_leavers_table_agrees_with_the_causes_trend(content):
    early = content["early"]
    assert early["tenure"] == {"early": 9, "all": 18, "share": 50.0}
    table = early["reasons"]
    # Columns: under a year, the rest, everyone (= the trend's column for the quarter).
    assert row(table, "Løn") == [0, 9, 9]
    assert row(table, "Arbeidstid, turnus eller for lita stilling") == [None, 0, None]
    assert row(table, "Leiing") == [None, 0, None]
    assert row(table, "Svarte") == [9, 9, 18]


def test_part_time_destination_and_turnover(content):
    assert content["heiltid"]["part_time"] == {"part_time": 9, "wanted_larger": 9, "no": 0, "share": 100.0}
    destination = content["destination"]["table"]
    assert row(destination, "Jobbe i ein annan kommune") == [9]
    assert row(destination, "Jobbe i staten eller på sjukehus") == [None]   # 3
    assert row(destination, "Jobbe i privat sektor") == [None]              # 6, hidden with it
    turnover = content["people"]["turnover"]
    assert row(turnover, "Helse og omsorg") == [12, 120, 10.0]
    assert row(turnover, "Heile organisasjonen") == [18, 180, 10.0]


def test_findings_are_written_from_the_numbers(content):
    texts = [f["text"] for f in content["findings"]]
    assert len(texts) == 3
    assert texts[0] == ("9 av 9 som slutta frå ei deltidsstilling, ønskte ei større stilling (100 %).")
    assert "«Løn»: 9 av 18 svar (50 %)" in texts[1] and "3. kvartal 2025 var det 50 %" in texts[1]
    assert texts[2].startswith("9 av 18 som svarte, hadde arbeidd her kortare enn eitt år (50 %)")


def test_bokmal_report_uses_bokmal(app, session, report_org):
    with app.app_context():
        content = prepare(session, report_org, "2026Q3", "nb", app.extensions["questionnaires"])
    assert content["period_name"] == "3. kvartal 2026"
    assert row(content["causes"]["trend"], "Lønn")[-1] == 9
    assert any("personer sluttet" in f["text"] or "ønsket en større stilling" in f["text"] for f in content["findings"])


def test_no_count_below_the_minimum_anywhere(content):
    from tests.reports.test_privacy_property import small_counts
    assert small_counts(content, 5) == []
