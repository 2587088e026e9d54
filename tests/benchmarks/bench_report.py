"""Report benchmark: time and peak memory to make the quarterly report, against WeasyPrint alone.

    .venv/bin/python tests/benchmarks/bench_report.py [--sizes 500 20000]

For each size a fresh SQLite database gets the demo data with that many responses (and the
demo's first cause analysis). A second, fresh process then makes the report three ways and
reports each:

- prepare: reading the database and the privacy gate (content.prepare)
- full: prepare + charts + HTML + PDF/A, what `report quarterly` does
- weasyprint: WeasyPrint alone rendering the same final HTML to the same PDF/A

and what the privacy gate held back: figures in the report's tables that print "fewer than 5
answers" or "held back" (issue 14's target: at most 15 % of the demo report), and how many of the
demo's actions show a before and an after.

Peak memory is the measuring process's peak resident size (it imports the app, opens the
database and renders; it does not seed). Target: full under 5 s and 1 GB at 20,000 responses,
and prepare + charts + HTML costing no more than WeasyPrint's rendering.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _app(database: Path):
    sys.path.insert(0, str(REPO))
    from config import TestingConfig
    from survey_app import create_app
    return create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"},
                      instance_path=str(database.parent / "instance"))


def seed(database: Path, responses: int) -> None:
    from flask_migrate import upgrade

    app = _app(database)
    with app.app_context():
        upgrade()
        from survey_app.demo import seed as demo_seed
        from survey_app.extensions import db
        from survey_app.models._time import today
        from survey_app.periods import previous_quarters, quarter_label
        from survey_app.services.analysis_runs import run_analysis

        result = demo_seed.run(db.session, app.extensions["questionnaires"], responses=responses)
        period = quarter_label(previous_quarters(today(), 1)[0])
        run = run_analysis(db.session, result.organisation, period)
        demo_seed.review(db.session, app.extensions["questionnaires"], result.organisation, run)  # as `demo seed`
        stay = run_analysis(db.session, result.organisation, period, question="stay_text")
        demo_seed.review(db.session, app.extensions["questionnaires"], result.organisation, stay, with_actions=False)


def measure(database: Path) -> dict:
    app = _app(database)
    with app.app_context():
        from sqlalchemy import select
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        from survey_app.extensions import db
        from survey_app.models import Organisation
        from survey_app.models._time import today
        from survey_app.periods import previous_quarters, quarter_label
        from survey_app.reports import content as report_content
        from survey_app.reports.render import STATIC, render_html, render_pdf

        organisation = db.session.scalars(select(Organisation).filter_by(slug="demo")).one()
        period = quarter_label(previous_quarters(today(), 1)[0])
        registry = app.extensions["questionnaires"]
        report_content.prepare(db.session, organisation, period, "nn", registry)  # warm caches and imports

        started = time.perf_counter()
        content = report_content.prepare(db.session, organisation, period, "nn", registry)
        prepared = time.perf_counter() - started

        started = time.perf_counter()
        content = report_content.prepare(db.session, organisation, period, "nn", registry)
        pdf, pages = render_pdf(content, datetime(2026, 1, 1))
        full = time.perf_counter() - started

        html = render_html(content, for_pdf=True).replace("__CREATED__", "2026-01-01T00:00:00Z")
        started = time.perf_counter()
        fonts = FontConfiguration()
        stylesheet = CSS(filename=str(STATIC / "report.css"), font_config=fonts)
        HTML(string=html, base_url=str(STATIC) + "/").render(stylesheets=[stylesheet], font_config=fonts).write_pdf(
            pdf_variant="pdf/a-2a")
        weasy = time.perf_counter() - started
        responses = db.session.execute(db.text("select count(*) from response where organisation_id = :o"),
                                       {"o": organisation.id}).scalar()
    return {"responses": responses, "pages": pages, "pdf_kb": round(len(pdf) / 1024),
            "prepare_s": round(prepared, 2), "full_s": round(full, 2), "weasyprint_s": round(weasy, 2),
            "full_over_weasyprint": round(full / weasy, 2), "rest_over_weasyprint": round((full - weasy) / weasy, 2),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "held_back": content["hidden_cells"], "figures": content["figures"],
            "actions_with_before_after": sum(1 for a in content["actions"] if a.get("effect")),
            "actions": len(content["actions"])}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 20000])
    parser.add_argument("--seed", nargs=2, metavar=("DB", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--measure", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed(Path(args.seed[0]), int(args.seed[1]))
        return 0
    if args.measure:
        print(json.dumps(measure(Path(args.measure))))
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            database = Path(tmp) / f"bench-{size}.db"
            subprocess.run([sys.executable, __file__, "--seed", str(database), str(size)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            out = subprocess.run([sys.executable, __file__, "--measure", str(database)], check=True,
                                 capture_output=True, text=True).stdout
            rows.append(json.loads(out.strip().splitlines()[-1]))
    print(f"# report benchmark, {datetime.now():%Y-%m-%d}, {platform.node()}, {platform.processor() or platform.machine()}")
    print("responses  pages  prepare s  full s  WeasyPrint alone s  full/WeasyPrint  rest/WeasyPrint  peak MB"
          "  held back (target <= 15 %)  actions with before/after")
    for r in rows:
        held = f"{r['held_back']} of {r['figures']} ({100 * r['held_back'] / max(r['figures'], 1):.1f} %)"
        print(f"{r['responses']:9}  {r['pages']:5}  {r['prepare_s']:9}  {r['full_s']:6}  {r['weasyprint_s']:18}  "
              f"{r['full_over_weasyprint']:15}  {r['rest_over_weasyprint']:15}  {r['peak_mb']:7}  {held:>26}  "
              f"{r['actions_with_before_after']} of {r['actions']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
