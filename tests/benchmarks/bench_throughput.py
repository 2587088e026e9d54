"""Respondent throughput: Kvifor under gunicorn next to a bare Flask "hello" app under the same
gunicorn settings, measured one after the other in one run with wrk.

    .venv/bin/python tests/benchmarks/bench_throughput.py [--seconds 8] [--rounds 3] [--connections 32]
                                                          [--workers 2] [--database-url URL]

- bare: GET / on a three-line Flask app (tests/benchmarks/bare_app.py);
- open page: GET /svar, a questionnaire page with its questions, for respondents who have started;
- submit page: POST /svar with a page of answers (CSRF token included), which saves the answers
  to the respondent's draft and redirects to the next page.

Each respondent is a real one, started through the open link with its own draft and session
cookie; wrk rotates over them. After the page runs, a final phase sends the last page with
"send" for many respondents from 32 threads at once and compares the receipts (redirects to the
thank-you page) with the responses the database holds afterwards: every acknowledged submit must
be there, and no more.

Needs wrk (Debian package). The database is a fresh SQLite file unless --database-url names an
empty PostgreSQL database (its public schema is dropped and recreated).
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
HERE = Path(__file__).resolve().parent
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')

# The exit questionnaire's pages, filled in as a respondent would.
PAGES = [
    {"sector": "helse_omsorg", "tenure": "y3_5", "age_band": "a35_44", "position_now": "60",
     "wanted_larger": "yes", "position_wanted": "100", "voluntary": "resigned"},
    {"main_reason": "arbeidstid", "other_reasons": ["belastning", "lonn"],
     "main_reason_text": "Delte vakter og for lite stilling. Eg fekk ikkje større stilling."},
    {"destination": "other_municipality", "recommend": "6", "come_back": "maybe"},
    {"leiing_expectations": "4", "leiing_seen": "3", "medarbeidarskap_speak_up": "4", "medarbeidarskap_team": "5",
     "kompetanse_training": "2", "kompetanse_growth": "3", "endringskraft_informed": "2",
     "endringskraft_influence": "2"},
]

WRK_SCRIPT = r"""
local items, i, method = {}, 0, "GET"
init = function(args)
  method = args[2]
  for line in io.lines(args[1]) do
    local cookie, body = line:match("([^\t]*)\t(.*)")
    table.insert(items, {cookie, body})
  end
  i = math.random(#items)
end
request = function()
  i = i % #items + 1
  local headers = {["Cookie"] = items[i][1]}
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", "/svar", headers, items[i][2])
  end
  return wrk.format("GET", "/svar", headers)
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare_database(url: str, instance: Path) -> None:
    sys.path.insert(0, str(REPO))
    from flask_migrate import upgrade

    from tests.conftest import reset_postgres

    if url.startswith("postgresql"):
        reset_postgres(url)
    from config import DefaultConfig
    from survey_app import create_app
    from survey_app.demo import seed as demo_seed
    from survey_app.extensions import db

    app = create_app(DefaultConfig, {"SQLALCHEMY_DATABASE_URI": url}, instance_path=str(instance))
    with app.app_context():
        upgrade()
        demo_seed.run(db.session, app.extensions["questionnaires"], responses=50)
        db.session.remove()
        db.engine.dispose()


class Server:
    """One gunicorn master with the project's production settings, on a loopback port."""

    def __init__(self, target: str, workers: int, env: dict, log: Path):
        self.port = free_port()
        self.log = open(log, "w")
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--access-logfile", "/dev/null", "--no-control-socket", target],
            cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{self.url}/", timeout=2)
                return
            except urllib.error.HTTPError:
                return  # answering
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{target} did not start; see {log}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()


class Visitor:
    """Someone with a browser's cookies, who posts forms with their CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as answer:
            self.last_url = answer.geturl()
            return answer.read().decode()

    def post(self, path: str, data: dict, csrf: str | None = None) -> str:
        body = urlencode(dict(data, csrf_token=csrf or self.csrf), doseq=True).encode()
        with self.opener.open(urllib.request.Request(self.base + path, data=body), timeout=30) as answer:
            self.last_url = answer.geturl()
            return answer.read().decode()

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)


class Respondent(Visitor):
    """A person answering through the open link."""

    def __init__(self, base: str):
        super().__init__(base)
        intro = self.get("/o/demo/sluttsamtale")
        self.page_html = self.post("/o/demo/sluttsamtale", {"lang": "nn"}, CSRF_RE.search(intro).group(1))
        self.csrf = CSRF_RE.search(self.page_html).group(1)

    def page_body(self, number: int, action: str = "next") -> str:
        return urlencode(dict(PAGES[number - 1], page=str(number), action=action, csrf_token=self.csrf), doseq=True)


def wrk(url: str, script: Path, data: Path, method: str, seconds: int, connections: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if data is not None:
        command += ["-s", str(script), url, "--", str(data), method]
    else:
        command.append(url)
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    non_ok = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non_ok.group(1)) if non_ok else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rate": rate, "p99_ms": p99_ms, "errors": errors, "requests": total}


def median_run(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda r: r["rate"])[len(runs) // 2]


def count_responses(url: str) -> int:
    from sqlalchemy import create_engine, text
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        count = connection.execute(text("SELECT COUNT(*) FROM response")).scalar()
    engine.dispose()
    return count


def final_submits(base: str, url: str, respondents: int) -> dict:
    """Many respondents press "send" at once; every receipt must match a stored response."""
    ready = []
    for _ in range(respondents):
        person = Respondent(base)
        for number in (1, 2, 3):
            person.post("/svar", dict(PAGES[number - 1], page=str(number), action="next"))
        ready.append(person)
    before = count_responses(url)

    def send(person: Respondent) -> bool:
        try:
            person.post("/svar", dict(PAGES[3], page="4", action="submit"))
            return "/takk/" in person.last_url
        except OSError:
            return False
    with ThreadPoolExecutor(max_workers=32) as pool:
        acknowledged = sum(pool.map(send, ready))
    return {"sent": respondents, "acknowledged": acknowledged, "stored": count_responses(url) - before}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--respondents", type=int, default=64, help="respondents wrk rotates over")
    parser.add_argument("--final-submits", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    if not GUNICORN.exists() or subprocess.run(["which", "wrk"], capture_output=True).returncode:
        print("needs gunicorn in the virtual environment and wrk (apt install wrk)", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
        prepare_database(url, tmp / "instance")
        env = dict(os.environ, DATABASE_URL=url, KVIFOR_SECRET_KEY="benchmark-secret", PYTHONPATH=str(REPO),
                   KVIFOR_LOG_LEVEL="WARNING")
        script = tmp / "rotate.lua"
        script.write_text(WRK_SCRIPT)
        runs: dict[str, list[dict]] = {"bare": [], "open page": [], "submit page": []}
        bare = Server("tests.benchmarks.bare_app:app", args.workers, env, tmp / "bare.log")
        kvifor = Server("wsgi:app", args.workers, env, tmp / "kvifor.log")
        try:
            people = [Respondent(kvifor.url) for _ in range(args.respondents)]
            pages, posts = tmp / "pages.tsv", tmp / "posts.tsv"
            pages.write_text("".join(f"{p.cookie_header}\t\n" for p in people))
            posts.write_text("".join(f"{p.cookie_header}\t{p.page_body(1)}\n" for p in people))
            # Rounds in turn, so a slow spell on a shared machine hits every kind alike; the
            # median of each kind is reported.
            for _ in range(args.rounds):
                runs["bare"].append(wrk(bare.url + "/", script, None, "GET", args.seconds, args.connections))
                runs["open page"].append(wrk(kvifor.url, script, pages, "GET", args.seconds, args.connections))
                runs["submit page"].append(wrk(kvifor.url, script, posts, "POST", args.seconds, args.connections))
            final = final_submits(kvifor.url, url, args.final_submits)
        finally:
            bare.stop()
            kvifor.stop()
        results = {name: dict(median_run(found), errors=sum(r["errors"] for r in found))
                   for name, found in runs.items()}

    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"# respondent throughput, {datetime.now():%Y-%m-%d}, {platform.node()}, {os.cpu_count()} CPUs, "
          f"gunicorn {args.workers} sync workers, wrk {args.connections} connections, median of {args.rounds} "
          f"runs of {args.seconds} s, {database}")
    print(f"{'what':12}  {'requests/s':>10}  {'of bare':>7}  {'p99 ms':>7}  {'errors':>6}  {'requests':>8}")
    for name, r in results.items():
        print(f"{name:12}  {r['rate']:10.0f}  {r['rate'] / results['bare']['rate']:7.2f}  {r['p99_ms']:7.1f}  "
              f"{r['errors']:6}  {r['requests']:8}")
    print(f"final submits: {final['sent']} sent at once, {final['acknowledged']} acknowledged, "
          f"{final['stored']} stored")
    lost = final["acknowledged"] - final["stored"]
    return 1 if lost or final["stored"] > final["sent"] or any(r["errors"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
