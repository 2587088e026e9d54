"""From a cause to the words behind it, and searching what people wrote (HR only).

A list of comments needs as many writers as any other such list (``privacy.comment_minimum``):
a cause's answers are listed when at least that many were found to have it, and a search looks
only in themes that large, the same answers the theme pages list. Answers are listed in the order
of their text, never by time, and carry no quarter."""
from __future__ import annotations

from collections import Counter

from flask import abort, g, render_template, request
from sqlalchemy import select

from analysis.text import find, search_terms
from survey_app.access import organisation_page
from survey_app.extensions import db
from survey_app.hr.views import _run_or_404, bp, cause_names
from survey_app.models import AnalysedAnswer, Answer
from survey_app.privacy import comment_minimum
from survey_app.services import audit
from survey_app.services.analysis_runs import RUN, run_gate

QUERY_LIMIT = 200


def _texts(rows) -> dict[int, str]:
    return dict(db.session.execute(select(Answer.id, Answer.value_scrubbed)
                                   .where(Answer.id.in_([r.answer_id for r in rows] or [-1]))).all())


@bp.get("/org/<org_slug>/analyse/<int:run_id>/arsak/<cause>")
@organisation_page("hr")
def cause(run_id: int, cause: str):
    run = _run_or_404(run_id)
    names = cause_names()
    if cause not in names:
        abort(404)
    minimum = g.organisation.min_group_size
    rows = db.session.scalars(select(AnalysedAnswer).where(AnalysedAnswer.run_id == run.id,
                                                           AnalysedAnswer.cause == cause)).all()
    _rows, gate = run_gate(db.session, run, minimum)
    # Themes among those with the cause: part of the run's distribution, shown where the run is.
    themes = None
    if gate.status((RUN,)) == "shown":
        counted = Counter(r.theme_id for r in rows)
        labels = {theme.id: theme for theme in run.themes}
        themes = sorted(((labels.get(theme_id), n) for theme_id, n in counted.items()),
                        key=lambda item: (-item[1], item[0].label if item[0] else ""))
    texts = []
    if len(rows) >= comment_minimum(minimum):
        texts = sorted(t for t in _texts(rows).values() if t)
        audit.record(db.session, "view_free_text", user_id=g.user.id, organisation_id=g.organisation.id,
                     run=run.id, cause=cause[:40], answers=len(texts))
    return render_template("hr/cause.html", run=run, cause=cause, name=names[cause], themes=themes, texts=texts,
                           count=len(rows),
                           minimum=minimum, min_list=comment_minimum(minimum))


@bp.get("/org/<org_slug>/analyse/<int:run_id>/sok")
@organisation_page("hr")
def search(run_id: int):
    run = _run_or_404(run_id)
    query = (request.args.get("q") or "").strip()
    minimum = g.organisation.min_group_size
    error = None
    results = None
    if len(query) > QUERY_LIMIT:
        error = "too_long"
    elif query and not search_terms(query):
        error = "no_words"
    elif query:
        rows = db.session.scalars(select(AnalysedAnswer).where(AnalysedAnswer.run_id == run.id)).all()
        sizes = Counter(r.theme_id for r in rows if r.theme_id)
        listable = [r for r in rows if r.theme_id and sizes[r.theme_id] >= comment_minimum(minimum)]
        texts = _texts(listable)
        labels = {theme.id: theme.label for theme in run.themes}
        names = cause_names()
        candidates = [(texts.get(r.answer_id) or "", labels.get(r.theme_id, ""), names.get(r.cause, r.cause), r.theme_id)
                      for r in listable]
        results = sorted(candidates[i] for i in find(query, [c[0] for c in candidates]))
        audit.record(db.session, "search_free_text", user_id=g.user.id, organisation_id=g.organisation.id,
                     run=run.id, answers=len(results))
    status = 400 if error else 200
    return render_template("hr/search.html", run=run, query=query, results=results, error=error,
                           limit=QUERY_LIMIT, min_list=comment_minimum(minimum)), status
