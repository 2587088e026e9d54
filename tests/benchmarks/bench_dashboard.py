"""Dashboard and export latency with many responses in PostgreSQL.

    .venv/bin/python tests/benchmarks/bench_dashboard.py --database-url postgresql://USER@HOST/EMPTY_DB
                                                         [--sizes 10000 1000000] [--rounds 2]

For each size the database is emptied (its public schema dropped), migrated, and filled as a
host installation would be: the demo (Demo kommune and its two neighbours, with the demo's
people, headcount and an HR account), then 99 more municipalities with the demo's unit tree.
Demo kommune holds 10 % of all responses, the rest are spread evenly; all are spread over the
last eight quarters. The answers are the demo generator's (``generate_answers``, free text
scrubbed by the project's scrubber): a pool of 2,000 answer sets per questionnaire is generated
and drawn from, and rows are written with COPY.

HR of Demo kommune then opens the results page for every questionnaire, breakdown (sector, unit,
none) and period block (the latest released quarter, half-year and year), and downloads the main-reason table and the turnover table as
CSV and XLSX, through the app in this process (Flask test client, real PostgreSQL). Those pages
read the answer tallies. Apart ("by answer"): the results page for a half-year broken down by each
question marked ``breakdown``, which counts the answers themselves. The figures are p50 and p95
over all those requests, after one warm-up pass. Target: p95 under 300 ms at one million responses.
"""
from __future__ import annotations

import argparse
import math
import os
import platform
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.conftest import reset_postgres  # noqa: E402  (after the path is set)

POOL = 2000
OTHER_ORGANISATIONS = 99
DEMO_SHARE = 0.10


def _app(url: str, instance: Path):
    from config import DefaultConfig
    from survey_app import create_app
    return create_app(DefaultConfig, {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False},
                      instance_path=str(instance))


def _answer_pool(registry, rng: random.Random) -> dict[str, list[list[tuple]]]:
    from survey_app.demo.seed import LANGUAGE_WEIGHTS, SECTOR_WEIGHTS, generate_answers
    from survey_app.services.responding import answer_rows, free_text_questions

    pool = {}
    for questionnaire in registry:
        free = free_text_questions(questionnaire)
        sets = []
        for index in range(POOL):
            sector = rng.choices(list(SECTOR_WEIGHTS), weights=list(SECTOR_WEIGHTS.values()))[0]
            lang = rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]
            answers = generate_answers(questionnaire, rng, sector=sector, lang=lang, trend=index / POOL)
            sets.append([(a.question, a.value_text, a.value_scrubbed, a.value_num) for a in answer_rows(answers, free)])
        pool[questionnaire.key] = sets
    return pool


def fill(url: str, instance: Path, size: int) -> tuple[str, str, float, int]:
    """The database for one size; returns the HR login, the seconds it took and the responses in it."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select
    from sqlalchemy import text as sql

    from survey_app.demo import seed as demo_seed
    from survey_app.extensions import db
    from survey_app.models import Response, Unit
    from survey_app.models._time import today
    from survey_app.periods import previous_quarters
    from survey_app.services import tallies
    from survey_app.services.questionnaires import ensure_version

    started = time.perf_counter()
    reset_postgres(url)
    app = _app(url, instance)
    rng = random.Random(size)
    with app.app_context():
        upgrade()
        registry = app.extensions["questionnaires"]
        demo = demo_seed.run(db.session, registry, responses=min(500, size // 10))
        others = [demo_seed.create_organisation(db.session, f"kommune-{n:03}", f"Kommune {n}", rng.choice(["nn", "nb"]))
                  for n in range(1, OTHER_ORGANISATIONS + 1)]
        versions = {q.key: ensure_version(db.session, q).id for q in registry}
        db.session.commit()
        units = {}
        for unit in db.session.scalars(select(Unit).where(Unit.parent_id.is_not(None))):
            units.setdefault(unit.organisation_id, []).append(unit.id)
        existing = db.session.scalar(select(func.count()).select_from(Response)
                                     .where(Response.organisation_id == demo.organisation.id))
        pool = _answer_pool(registry, rng)
        keys, shares = list(demo_seed.MIX), list(demo_seed.MIX.values())
        quarters = previous_quarters(today(), 8)
        to_add = [(demo.organisation.id, round(size * DEMO_SHARE) - existing)]
        per_other = (size - round(size * DEMO_SHARE)) // len(others)
        to_add += [(o.id, per_other) for o in others]

        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM response")
            response_id = cursor.fetchone()[0]
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM answer")
            answer_id = cursor.fetchone()[0]
            answer_rows = []
            with cursor.copy("COPY response (id, organisation_id, questionnaire_version_id, unit_id, language, "
                             "channel, submitted_on) FROM STDIN") as copy:
                for organisation_id, count in to_add:
                    for _ in range(max(0, count)):
                        response_id += 1
                        key = rng.choices(keys, weights=shares)[0]
                        submitted = rng.choice(quarters) + timedelta(days=rng.randrange(90))
                        copy.write_row((response_id, organisation_id, versions[key], rng.choice(units[organisation_id]),
                                        "nn", "invitation", submitted))
                        answer_rows.append((response_id, key))
            with cursor.copy("COPY answer (id, response_id, question, value_text, value_scrubbed, value_num) "
                             "FROM STDIN") as copy:
                for rid, key in answer_rows:
                    for question, text, scrubbed, number in rng.choice(pool[key]):
                        answer_id += 1
                        copy.write_row((answer_id, rid, question, text, scrubbed, number))
            for table in ("response", "answer"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
            connection.commit()
        finally:
            connection.close()
        # COPY went around the ORM, so the answers are tallied as after any bulk load.
        tallied = time.perf_counter()
        with db.engine.begin() as connection:
            tally_rows = tallies.rebuild(connection)
        print(f"# {size}: tallies rebuilt in {time.perf_counter() - tallied:.0f} s, {tally_rows} rows", flush=True)
        # What a database settles into after a bulk load: vacuumed (visibility map, no dead rows
        # from the rebuild) and analysed, so autovacuum does not run during the measurement.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sql("VACUUM ANALYZE"))
        with db.engine.begin() as connection:
            sizes = connection.execute(sql("SELECT pg_size_pretty(pg_total_relation_size('answer')), "
                                           "pg_size_pretty(pg_total_relation_size('answer_tally'))")).one()
        print(f"# {size}: on disk with indexes, answers {sizes[0]}, tallies {sizes[1]}", flush=True)
        total = db.session.scalar(select(func.count()).select_from(Response))
        db.session.remove()
        db.engine.dispose()
    return demo.hr_email, demo.hr_password, time.perf_counter() - started, total


def reuse(url: str, instance: Path) -> tuple[str, str, float, int]:
    """The filled database as it is, migrated to the head; a fresh password for the demo's HR user."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select
    from sqlalchemy import text as sql

    from survey_app.demo.seed import HR_EMAIL
    from survey_app.extensions import db
    from survey_app.models import Response, User

    app = _app(url, instance)
    password = "benchmark " + os.urandom(6).hex()
    with app.app_context():
        upgrade()
        db.session.scalars(select(User).filter_by(email=HR_EMAIL)).one().set_password(password)
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sql("VACUUM ANALYZE"))
        total = db.session.scalar(select(func.count()).select_from(Response))
        db.session.remove()
        db.engine.dispose()
    return HR_EMAIL, password, 0.0, total


def measure(url: str, instance: Path, email: str, password: str, rounds: int) -> dict:
    app = _app(url, instance)
    client = app.test_client()
    answer = client.post("/logg-inn", data={"email": email, "password": password})
    assert answer.status_code == 302, "HR login failed"
    from survey_app.services.dashboard import breakdown_choices

    from survey_app.models._time import today
    from survey_app.privacy.periods import released_blocks

    # One block of each kind: the latest quarter, half-year and year released.
    blocks = {}
    for b in released_blocks(today()):
        blocks.setdefault(b.kind, b.label)
    keys = ("sluttsamtale", "onboarding", "laerling", "rekruttering")
    pages = [f"/org/demo/resultat?q={q}&by={by}&period={period}"
             for q in keys for by in ("sector", "unit", "none") for period in blocks.values()]
    # By another question's answer (age, position size...): counted from the answers, not the tallies.
    by_answer = [f"/org/demo/resultat?q={q}&by=q:{question.name}&period={blocks['half']}"
                 for q in keys for question in breakdown_choices(app.extensions["questionnaires"].get(q))]
    exports = [f"/org/demo/resultat/eksport.{fmt}?q=sluttsamtale&period={period}&table={table}"
               for fmt in ("csv", "xlsx") for period in (blocks["half"], blocks["year"])
               for table in ("main_reason", "turnover")]
    timings: dict[str, list[float]] = {"page": [], "export": [], "by answer": []}
    for round_number in range(rounds + 1):
        for kind, paths in (("page", pages), ("export", exports), ("by answer", by_answer)):
            for path in paths:
                started = time.perf_counter()
                status = client.get(path).status_code
                elapsed = (time.perf_counter() - started) * 1000
                assert status == 200, f"{path}: {status}"
                if round_number:  # the first round warms caches and connections
                    timings[kind].append(elapsed)
    with app.app_context():
        from survey_app.extensions import db
        db.engine.dispose()
    return {kind: {"n": len(found), "p50": statistics.median(found), "p95": _nearest_rank(found, 0.95),
                   "max": max(found)} for kind, found in timings.items()}


def _nearest_rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True, help="an empty PostgreSQL database (it is wiped)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 1000000])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--keep-data", action="store_true",
                        help="measure the database as an earlier run of this script left it (one size; "
                             "migrated to the head and vacuumed first)")
    args = parser.parse_args()
    import tempfile
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            if args.keep_data:
                email, password, seconds, total = reuse(args.database_url, Path(tmp))
            else:
                email, password, seconds, total = fill(args.database_url, Path(tmp), size)
            result = measure(args.database_url, Path(tmp), email, password, args.rounds)
            rows.append((total, round(total * DEMO_SHARE), seconds, result))
    print(f"# dashboard benchmark, {datetime.now():%Y-%m-%d}, {platform.node()}, PostgreSQL, "
          f"Demo kommune holds {DEMO_SHARE:.0%} of the responses, {OTHER_ORGANISATIONS + 3} organisations")
    print(f"{'responses':>10}  {'demo':>7}  {'fill s':>6}  {'what':9}  {'n':>4}  {'p50 ms':>7}  {'p95 ms':>7}  {'max ms':>7}")
    for total, demo, seconds, result in rows:
        for kind, r in result.items():
            print(f"{total:10}  {demo:7}  {seconds:6.0f}  {kind:9}  {r['n']:4}  {r['p50']:7.0f}  {r['p95']:7.0f}  "
                  f"{r['max']:7.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
