"""The report's figures against hand counts on the fixture in conftest.py (minimum group size 5).

2026Q3, main reason:   pay 9 (6 home care + 3 school), working hours 7, leadership 2 → 18 answers.
The minimum applies to groups: the 18 are a group and show their whole distribution, the 2 who
chose leadership included. Under a year: working hours 7 and leadership 2 (9 of 18), a group of its
own; 3 to 5 years (6) is held back, since with it shown the 3 of 6 to 10 years would follow.
Part-time leavers: 9 (everyone less the 9 full-time), all wanted a larger position. Leavers from
the HR system: 18 (12 a year earlier); employees 180.
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
    assert row(figures, "Turnover (avgangar i prosent av tilsette)")[2] == pytest.approx(10.0)


def test_causes_trend_shows_each_large_group_whole(content):
    trend = content["causes"]["trend"]
    assert trend["columns"][-1] == "3. kv. 2026"
    assert row(trend, "Løn")[-1] == 9
    assert row(trend, "Arbeidstid, turnus eller for lita stilling")[-1] == 7
    assert row(trend, "Leiing")[-1] == 2          # one of the 18: says nothing about who
    assert row(trend, "Svar i alt")[-1] == 18
    assert row(trend, "Løn")[-2] == 6 and row(trend, "Løn")[-5] == 5
    # Quarters with nobody are shown as zero; no quarter here is a small group.
    assert trend["status"] is None
    assert content["causes"]["chart"]["items"][0] == ["Løn", 50.0]


def test_early_leavers_table_agrees_with_the_causes_trend(content):
    early = content["early"]
    assert early["tenure"] == {"early": 9, "all": 18, "share": 50.0}
    table = early["reasons"]
    # Columns: under a year, the rest (everyone less them), everyone (= the trend's column).
    assert row(table, "Løn") == [0, 9, 9]
    assert row(table, "Arbeidstid, turnus eller for lita stilling") == [7, 0, 7]
    assert row(table, "Leiing") == [2, 0, 2]
    assert row(table, "Svar i alt") == [9, 9, 18]


def test_small_groups_say_so_in_one_line(app, session, report_org):
    """By sector: Oppvekst has 6 leavers and shows whole; a unit of 3 would not."""
    with app.app_context():
        content = prepare(session, report_org, "2026Q3", "nn", app.extensions["questionnaires"])
    position = content["heiltid"]["position"]
    assert position["columns"] == ["Helse og omsorg", "Oppvekst", "I alt"]
    assert position["status"] is None  # every column shown
    assert row(position, "Svar i alt") == [12, 6, 18]
    responses = content["people"]["responses"]
    exit_row = next(r for r in responses["rows"] if r["label"] == "Sluttsamtale")
    # 2026Q1 had no answers (shown as 0); nothing else in the window is small.
    assert exit_row["values"] == [10, 0, 0, 6, 18]


def test_part_time_destination_and_turnover(content):
    assert content["heiltid"]["part_time"] == {"part_time": 9, "wanted_larger": 9, "no": 0, "share": 100.0}
    destination = content["destination"]["table"]
    assert row(destination, "Jobbe i ein annan kommune") == [9]
    assert row(destination, "Jobbe i staten eller på sjukehus") == [3]
    assert row(destination, "Jobbe i privat sektor") == [6]
    turnover = content["people"]["turnover"]
    # The last four quarters: earlier quarters have no headcount for these units, so no yearly rate.
    assert row(turnover, "Helse og omsorg")[:3] == [12, 120, 10.0]
    assert row(turnover, "Heile organisasjonen")[:3] == [18, 180, 10.0]


def test_findings_are_written_from_the_numbers(content):
    texts = [f["text"] for f in content["findings"]]
    assert len(texts) == 3
    # Each share has its base; the fixture's 18 answers are fewer than 20, and each finding says so.
    assert texts[0].startswith("9 av 9 som slutta frå ei deltidsstilling, ønskte ei større stilling (100\u00a0%).")
    assert "«Løn»: 9 av 18 svar (50\u00a0%), same del som 5 av 10 i 3. kvartal 2025." in texts[1]
    assert all("færre enn 20 svar" in text for text in texts)


def test_a_change_is_a_finding_only_when_it_is_more_than_chance(content):
    """Working hours went from 5 of 10 to 7 of 18: 11 points, p = 0.48 by the two-proportion test."""
    assert not any(f["kind"] == "cause_change" for f in content["findings"])


def test_bokmal_report_uses_bokmal(app, session, report_org):
    with app.app_context():
        content = prepare(session, report_org, "2026Q3", "nb", app.extensions["questionnaires"])
    assert content["period_name"] == "3. kvartal 2026"
    assert row(content["causes"]["trend"], "Lønn")[-1] == 9
    assert any("personer sluttet" in f["text"] or "ønsket en større stilling" in f["text"] for f in content["findings"])


def test_no_group_below_the_minimum_anywhere(content):
    from tests.reports.test_privacy_property import small_groups
    assert small_groups(content, 5) == []


def test_what_the_report_shows_is_recorded_for_the_next_one(content):
    released = content["released"]
    assert ["org", "2026Q3"] in released["units:sluttsamtale"]
    assert ["answer", "tenure", "under_1", "2026Q3"] in released["units:sluttsamtale"]
    assert content["hidden_cells"] <= 0.15 * content["figures"]
