"""The PDF/UA points a checker reads from the file, with pikepdf: running headers and footers are
artifacts (no marked content outside the structure tree), every table header cell has its /Scope,
figures' bounding boxes lie on the page in points, links say where they go, and a quote in another
language carries its /Lang."""
from __future__ import annotations

import io
from datetime import datetime

import pikepdf
import pytest

from survey_app.reports.content import prepare
from survey_app.reports.render import render_pdf


def elements(pdf):
    def walk(element, above=()):
        yield element, above
        kids = element.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield from walk(kid, above + (str(element.S),))
    for top in pdf.Root.StructTreeRoot.K:
        yield from walk(top)


@pytest.fixture
def report_pdf(app, session, report_org):
    with app.app_context():
        content = prepare(session, report_org, "2026Q3", "nn", app.extensions["questionnaires"])
        # One quote in English, as a respondent who answered in English would give it.
        content["themes"] = {"themes": [{"label": "Løn", "new": False, "terms": [], "answers": 12, "of": 12,
                                         "answers_now": 12, "of_now": 12,
                                         "quotes": [{"text": "The pay is too low for the work we do.", "lang": "en"},
                                                    {"text": "Løna er for låg.", "lang": "nn"}]}],
                             "hidden_themes": 0, "table": None, "run": True, "question": "", "basis": None}
        data, _pages = render_pdf(content, datetime(2026, 10, 21, 9, 0))
    return pikepdf.open(io.BytesIO(data))


def test_headers_and_footers_are_artifacts(report_pdf):
    owned = {element.objgen for element, _above in elements(report_pdf)}
    nums = report_pdf.Root.StructTreeRoot.ParentTree.Nums
    for i in range(0, len(nums), 2):
        value = nums[i + 1]
        if isinstance(value, pikepdf.Array):
            assert all(not isinstance(ref, pikepdf.Dictionary) or ref.objgen in owned for ref in value)
    # Page 2 has a running header (organisation, title) and a page number: all of it is an artifact.
    page = report_pdf.pages[1]
    artifacts = [ops for ops, op in pikepdf.parse_content_stream(page)
                 if str(op) == "BDC" and ops and ops[0] == pikepdf.Name.Artifact]
    assert len(artifacts) >= 3


def test_every_header_cell_has_a_scope(report_pdf):
    headers = [(element, above) for element, above in elements(report_pdf) if element.S == "/TH"]
    assert len(headers) > 50
    for element, above in headers:
        assert element.A.O == "/Table"
        assert element.A.Scope == ("/Column" if "/THead" in above else "/Row")


def test_figures_lie_on_the_page_in_points(report_pdf):
    figures = [element for element, _above in elements(report_pdf) if element.S == "/Figure"]
    assert figures
    for figure in figures:
        box = [float(v) for v in figure.A.BBox]
        page = figure.Pg.MediaBox
        assert 0 <= box[0] < box[2] <= float(page[2]) and 0 <= box[1] < box[3] <= float(page[3]), box
        assert str(figure.Alt)


def test_links_say_where_they_go(report_pdf):
    links = [a for page in report_pdf.pages for a in page.get("/Annots", []) if a.Subtype == "/Link"]
    assert links
    said = {str(a.Contents) for a in links}
    assert "Gå til: 1. Samandrag" in said
    assert not any(text.startswith("sec-") for text in said)


def test_a_quote_in_another_language_is_tagged_with_it(report_pdf):
    quotes = [element for element, _above in elements(report_pdf) if element.S == "/BlockQuote"]
    assert [str(q.get("/Lang", "")) for q in quotes] == ["en", ""]
