"""From a cause to the themes and words behind it, and searching what people wrote."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from survey_app.models import AnalysedAnswer, Answer, AuditEvent
from survey_app.services.analysis_runs import run_analysis
from tests.hr.test_analysis_pages import hr_client  # noqa: F401  (fixture)
from tests.services.test_analysis_runs import history  # noqa: F401  (fixture)


def test_a_cause_leads_to_its_themes_and_comments(hr_client, session, org):  # noqa: F811
    run = run_analysis(session, org, "2026Q3")
    session.commit()
    rows = session.scalars(select(AnalysedAnswer).where(AnalysedAnswer.run_id == run.id)).all()
    counts = Counter(r.cause for r in rows)
    large = next(cause for cause, n in counts.most_common() if n >= 10)
    small = next((cause for cause, n in counts.items() if 0 < n < 10), None)

    run_page = hr_client.get(f"/org/testvik/analyse/{run.id}").get_data(as_text=True)
    assert f'/org/testvik/analyse/{run.id}/arsak/{large}"' in run_page
    page = hr_client.get(f"/org/testvik/analyse/{run.id}/arsak/{large}").get_data(as_text=True)
    texts = {session.get(Answer, r.answer_id).value_scrubbed for r in rows if r.cause == large}
    listed = [t for t in texts if t in page]
    assert len(listed) == len(texts)  # every answer with the cause, and no other
    assert all(session.get(Answer, r.answer_id).value_scrubbed not in page for r in rows if r.cause != large
               and session.get(Answer, r.answer_id).value_scrubbed not in texts)
    assert "41683920" not in page  # scrubbed text only
    if small:
        few = hr_client.get(f"/org/testvik/analyse/{run.id}/arsak/{small}").get_data(as_text=True)
        assert "ikkje lista" in few or "not listed" in few
    assert hr_client.get(f"/org/testvik/analyse/{run.id}/arsak/finst-ikkje").status_code == 404
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "view_free_text")).all()
    assert any((e.detail or {}).get("cause") == large for e in events)


def test_search_finds_nynorsk_and_bokmal_forms_in_listable_themes(hr_client, session, org):  # noqa: F811
    import html
    import re

    run = run_analysis(session, org, "2026Q3")
    session.commit()
    rows = session.scalars(select(AnalysedAnswer).where(AnalysedAnswer.run_id == run.id)).all()
    sizes = Counter(r.theme_id for r in rows if r.theme_id)
    texts = {r.answer_id: session.get(Answer, r.answer_id).value_scrubbed for r in rows}
    listable = [texts[r.answer_id] for r in rows if r.theme_id and sizes[r.theme_id] >= 10]
    # "løn" (nynorsk) is also "lønn" (bokmål): Løna, Lønna and Lønnsutviklingen all hold it.
    expected = sorted(t for t in listable if "løn" in t.lower())
    assert expected and any("Lønnsutviklingen" in t for t in expected) and any("Løna" in t for t in expected)
    page = hr_client.get(f"/org/testvik/analyse/{run.id}/sok?q=løn").get_data(as_text=True)
    found = [html.unescape(t) for t in re.findall(r"<blockquote>(.*?)</blockquote>", page)]
    assert found == expected  # in the order of the text, and only from themes of ten or more
    assert f"{len(expected)} svar funne" in page

    empty = hr_client.get(f"/org/testvik/analyse/{run.id}/sok?q=ikkje")
    assert empty.status_code == 400 and "finn ingenting" in empty.get_data(as_text=True)
    assert hr_client.get(f"/org/testvik/analyse/{run.id}/sok?q=" + "a" * 201).status_code == 400
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "search_free_text")).first() is not None
