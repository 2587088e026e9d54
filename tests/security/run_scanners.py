"""Outside scanners against the real app: sqlmap on the respondent and HR forms, wapiti on the site.

    .venv/bin/python tests/security/run_scanners.py [--quick] [--keep DIR]

Starts Kvifor under gunicorn (production settings, 2 workers) on loopback with the demo data in a
throwaway SQLite database, logs in as the demo's HR user and starts a respondent's draft, then:

- sqlmap (Debian package) on every parameter of the respondent page, the open link, the letter
  code, the login, the HR results page and its export, and the actions register form, with the
  CSRF token fetched afresh for every request and the HR or respondent session cookie;
- wapiti (Debian package) crawling and attacking the whole site with the HR session (log out
  excluded), with its default modules plus the CSRF check.

It prints a summary and fails (exit 1) on any injectable parameter, any wapiti finding of medium or
higher level, or any server error either tool caused. ``--quick`` (CI) uses sqlmap's faster
techniques and gives wapiti less time; the full run is the one to quote.

Rate limits are raised for the scanned instance: the scanners send thousands of requests from one
address, and the limits have tests of their own (tests/security/test_rate_limits.py).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.benchmarks.bench_throughput import Respondent, Server, Visitor  # noqa: E402  (after the path is set)

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
INJECTABLE = re.compile(r"parameter '([^']+)' (?:appears to be|is) '[^']*' injectable")
NOT_INJECTABLE = "do not appear to be injectable"
SERVER_ERRORS = re.compile(r"500 \(Internal Server Error\) - (\d+) times")
UNLIMITED = json.dumps({name: [1_000_000, 1] for name in ("login", "second_factor", "code", "link")})
NO_DELAYS = json.dumps({"free_failures": 1_000_000, "account_ceiling": 1_000_000})


def seed(url: str, instance: Path) -> tuple[str, str]:
    from flask_migrate import upgrade

    from config import DefaultConfig
    from survey_app import create_app
    from survey_app.demo import seed as demo_seed
    from survey_app.extensions import db

    app = create_app(DefaultConfig, {"SQLALCHEMY_DATABASE_URI": url}, instance_path=str(instance))
    with app.app_context():
        upgrade()
        result = demo_seed.run(db.session, app.extensions["questionnaires"], responses=150)
        db.session.remove()
        db.engine.dispose()
    return result.hr_email, result.hr_password


class Staff(Visitor):
    """The demo's HR user, logged in."""

    def __init__(self, base: str, email: str, password: str):
        super().__init__(base)
        page = self.get("/logg-inn")
        self.post("/logg-inn", {"email": email, "password": password}, CSRF_RE.search(page).group(1))
        if "/org/" not in self.last_url:
            raise RuntimeError("the HR login failed")


def sqlmap(name: str, url: str, cookie: str, out: Path, quick: bool, data: dict | None = None,
           csrf_url: str | None = None) -> dict:
    command = ["sqlmap", "-u", url, "--batch", "--flush-session", "--disable-coloring", "--level", "1",
               "--risk", "1", "--output-dir", str(out / "sqlmap"), "--cookie", cookie,
               "--answers", "follow=N,keep testing=Y,skip further=N",
               # A wrong login (401) or a refused form (400) is the app's normal answer to bad input.
               "--ignore-code", "400,401"]
    if data is not None:
        command += ["--data", urlencode(data, doseq=True)]
    if csrf_url:
        command += ["--csrf-token", "csrf_token", "--csrf-url", csrf_url]
    if quick:
        command += ["--technique", "BEU"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    (out / f"sqlmap-{name}.log").write_text(run.stdout + run.stderr)
    injectable = sorted(set(INJECTABLE.findall(run.stdout)))
    errors = sum(int(n) for n in SERVER_ERRORS.findall(run.stdout))
    tested = len(re.findall(r"testing '", run.stdout))
    return {"target": name, "injectable": injectable, "server_errors": errors, "tests": tested,
            "clean": NOT_INJECTABLE in run.stdout}


# Debian's wapiti 3.0.4 builds its exclusion patterns as '...\Z(?ms)', which Python 3.11 refuses, so
# `-x` crashes it; this starts it with that one function mended.
WAPITI = """
import re, sys
import wapitiCore.net.crawler as crawler
def wildcard_translate(pattern):
    return re.compile("(?ms)" + "".join(".*" if c == "*" else re.escape(c) for c in pattern) + r"\\Z")
crawler.wildcard_translate = wildcard_translate
from wapitiCore.main.wapiti import wapiti_main
sys.argv[0] = "wapiti"
sys.exit(wapiti_main())
"""


def wapiti(base: str, visitor: Visitor, out: Path, quick: bool) -> dict:
    report, cookies = out / "wapiti.json", out / "wapiti-cookies.json"
    # wapiti's own cookie file format: domain -> path -> name -> attributes.
    jar: dict = {}
    for cookie in visitor.jar:
        jar.setdefault(cookie.domain.removesuffix(".local"), {}).setdefault(cookie.path, {})[cookie.name] = {
            "value": cookie.value, "expires": cookie.expires, "secure": cookie.secure, "port": None, "version": 0}
    cookies.write_text(json.dumps(jar))
    python = Path(shutil.which("wapiti")).read_text().splitlines()[0].removeprefix("#!")
    command = [python, "-c", WAPITI, "-u", f"{base}/", "--scope", "folder", "-c", str(cookies),
               "-s", f"{base}/org/demo/", "-s", f"{base}/org/demo/resultat", "-s", f"{base}/kode",
               "-s", f"{base}/o/demo/sluttsamtale",
               # Logging out, or taking away the scanning user's own roles, would leave the rest of
               # the scan without a login, and every form would then answer alike (and look unprotected).
               # Each valid POST of the analysis page runs the whole cause analysis (embeddings,
               # clustering; seconds to a minute): the scanner's repeats would only queue that work
               # past the workers' timeout. The run pages (/analyse/<run>) are still scanned.
               "-x", f"{base}/logg-ut", "-x", f"{base}/org/demo/admin/brukarar/*/fjern",
               "-x", f"{base}/org/demo/analyse", "-m", "blindsql,cookieflags,csp,exec,file,http_headers,permanentxss,"
               "redirect,sql,ssrf,xss,csrf,crlf", "--flush-session", "-f", "json", "-o", str(report),
               # The crawl, and then each attack module, get at most this long.
               "--max-scan-time", "60" if quick else "600", "--max-attack-time", "15" if quick else "120",
               "-d", "3", "--max-links-per-page", "40"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    (out / "wapiti.log").write_text(run.stdout + run.stderr)
    found = json.loads(report.read_text())
    serious, rechecked = [], []
    for category, items in found.get("vulnerabilities", {}).items():
        for item in items:
            if int(item["level"]) < 2:
                continue
            finding = (category, item["path"], item["parameter"], item["level"])
            if _is_multipart_csrf_finding(item) and csrf_is_checked(visitor, item["http_request"]):
                rechecked.append(finding)
            else:
                serious.append(finding)
    low = sum(1 for items in found.get("vulnerabilities", {}).values() for item in items if int(item["level"]) < 2)
    anomalies = [(category, item["path"], item["parameter"]) for category, items in found.get("anomalies", {}).items()
                 for item in items]
    crawled = re.search(r"Wapiti found (\d+) URLs and forms", run.stdout)
    return {"serious": serious, "rechecked": rechecked, "low": low, "anomalies": anomalies,
            "crawled": int(crawled.group(1)) if crawled else 0}


# wapiti 3.0.4 hands a multipart form's ordinary fields to requests as files, so each goes out as
# `name="csrf_token"; filename="csrf_token"`: the server sees no token field at all, answers the
# original and the mutated request with the same "page expired" error, and wapiti reports that the
# token is not checked. Such a finding is sent again as a browser sends it, with the page's token
# and with a wrong one; it only counts if the app cannot tell them apart.
CSRF_ERROR_TITLES = ("Sida var gått ut på tid", "Siden var utløpt", "The page had expired")


def _is_multipart_csrf_finding(item: dict) -> bool:
    return ("not properly checked" in item.get("info", "")
            and "multipart/form-data" in item.get("http_request", ""))


def _multipart_parts(http_request: str) -> tuple[str, list[tuple[str, str]], list[tuple[str, str, str]]]:
    """The path, the fields and the files of a multipart request as wapiti writes it in its report."""
    head, _, body = http_request.partition("\n\n")
    path = head.splitlines()[0].split(" ")[1]
    boundary = re.search(r"boundary=(\S+)", head).group(1)
    fields, files = [], []
    for part in body.split(boundary):
        match = re.match(r'\s*Content-Disposition: form-data; name="([^"]*)"(?:; filename="([^"]*)")?\n\n(.*?)\n?$',
                         part, re.S)
        if not match:
            continue
        name, filename, value = match.groups()
        if filename is None:
            fields.append((name, value))
        else:
            files.append((name, filename, value))
    return path, fields, files


def _post_multipart(visitor: Visitor, path: str, fields: list, files: list) -> tuple[int, str]:
    boundary = "kvifor-" + os.urandom(8).hex()
    chunks = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
              for name, value in fields]
    body = "".join(chunks).encode()
    for name, filename, content in files:
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n").encode()
        body += (content if isinstance(content, bytes) else content.encode()) + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(visitor.base + path, data=body,
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with visitor.opener.open(request, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def csrf_is_checked(visitor: Visitor, http_request: str) -> bool:
    """Whether the form in a wapiti finding accepts its page's token and refuses a wrong one."""
    path, fields, files = _multipart_parts(http_request)
    token = CSRF_RE.search(visitor.get(path)).group(1)
    answers = {}
    for value in (token, "wapiti"):
        status, text = _post_multipart(visitor, path, [(n, value if n == "csrf_token" else v) for n, v in fields],
                                       files)
        answers[value] = (status, any(title in text for title in CSRF_ERROR_TITLES))
    return not answers[token][1] and answers["wapiti"] == (400, True)


def _upload(visitor: Visitor, kind: str, filename: str, data: bytes) -> tuple[int, str, float]:
    page = visitor.get(f"/org/demo/import?kind={kind}")
    started = time.perf_counter()
    status, body = _post_multipart(visitor, "/org/demo/import", [("csrf_token", CSRF_RE.search(page).group(1)),
                                                                   ("kind", kind)], [("file", filename, data)])
    return status, body, time.perf_counter() - started


def _status(visitor: Visitor, path: str, data: dict | None = None) -> int:
    try:
        if data is None:
            visitor.get(path)
        else:
            visitor.post(path, data, CSRF_RE.search(visitor.get(path)).group(1))
        return 200
    except urllib.error.HTTPError as error:
        return error.code


def attack_probes(base: str, staff: Visitor) -> list[tuple[str, bool, str]]:
    """The cases of the last attack pass (issue 18), re-tried against the served app; each is also a
    test in the suite, as are the lockout and the log redaction, which need limits and an access log
    this instance runs without. Run after the scanners, since they change the demo data."""
    import io
    import zipfile

    results = []
    # 1. A units file that closes a loop through the database is refused; the results page answers.
    status, body, _ = _upload(staff, "units", "einingar.csv", b"Kode;Namn;Overordna\nhelse_omsorg;Helse;HO-HTN\n")
    started = time.perf_counter()
    answered = _status(staff, "/org/demo/resultat?by=unit")
    seconds = time.perf_counter() - started
    results.append(("unit loop refused", ("sirkel" in body or "circle" in body) and answered == 200 and seconds < 10,
                    f"preview {status}, results page {answered} in {seconds:.1f} s"))
    # 2. A unit named as a formula is written as text in both exports.
    units = staff.get("/org/demo/einingar")
    unit_id = re.search(r'name="unit_id" value="(\d+)">\s*<div class="field"><label for="code-\d+">[^<]*</label>'
                        r'<input type="text" id="code-\d+" name="code" value="HO-LV"', units)
    formula = '=HYPERLINK("http://evil.example/","x")'
    if unit_id:
        staff.post("/org/demo/einingar", {"unit_id": unit_id.group(1), "code": "HO-LV", "name": formula,
                                          "parent": "helse_omsorg"}, CSRF_RE.search(units).group(1))
    csv_text = staff.get("/org/demo/resultat/eksport.csv?q=sluttsamtale&span=8&by=unit&table=main_reason")
    with staff.opener.open(base + "/org/demo/resultat/eksport.xlsx?q=sluttsamtale&span=8&by=unit&table=main_reason",
                           timeout=30) as answer:
        book = zipfile.ZipFile(io.BytesIO(answer.read()))
    sheet = book.read("xl/worksheets/sheet1.xml")
    strings = sheet + (book.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in book.namelist() else b"")
    prefixed = "'=HYPERLINK" in csv_text
    results.append(("formula written as text", bool(unit_id) and prefixed and b"<f>" not in sheet
                    and b"=HYPERLINK" in strings, f"csv prefixed: {prefixed}, xlsx formula cells: {sheet.count(b'<f>')}"))
    # 3. A sheet of two million cells in one row is refused at once.
    from openpyxl import Workbook
    book, raw = Workbook(), io.BytesIO()
    book.active.append(["Namn"])
    book.save(raw)
    source, packed = zipfile.ZipFile(io.BytesIO(raw.getvalue())), io.BytesIO()
    huge = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1">' + b"<c><v>1</v></c>" * 2_000_000 + b"</row></sheetData></worksheet>")
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            archive.writestr(entry.filename, huge if entry.filename == "xl/worksheets/sheet1.xml" else source.read(entry))
    status, body, seconds = _upload(staff, "leaver", "sluttarar.xlsx", packed.getvalue())
    # The scanners may have switched the demo's language, so the checks read no words.
    results.append(("huge sheet refused", status == 400 and "200" in body and seconds < 5,
                    f"{status} in {seconds:.2f} s for {len(packed.getvalue()) // 1024} KB"))
    # 4. A name with a line break and two addresses in one are refused.
    settings = _status(staff, "/org/demo/admin/innstillingar", {"name": "Demo\r\nBcc: x@evil.example",
                                                                 "written_standard": "nn", "min_group_size": "5"})
    page = staff.get("/org/demo/admin/innstillingar")
    staff.post("/org/demo/admin/brukarar", {"email": "kari@example.test,bob.no", "name": "Kari", "role": "hr"},
               CSRF_RE.search(staff.get("/org/demo/admin/brukarar")).group(1))
    users = staff.get("/org/demo/admin/brukarar")
    results.append(("control characters and two addresses refused",
                    "Bcc" not in page and "example.test" not in users and settings in (200, 400),
                    f"settings {settings}"))
    return results


def _traceback_excerpts(log: str, lines_before: int = 3, lines_after: int = 4) -> list[str]:
    """Each traceback's last lines (where it ended, and why) with the log lines just before it
    (what the worker was doing), so a failed CI run says what broke."""
    lines = log.splitlines()
    excerpts = []
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = i + 1
            while end < len(lines) and (lines[end].startswith((" ", "\t")) or lines[end].startswith("During")):
                end += 1
            excerpts.append("\n".join(["   " + l for l in lines[max(0, i - lines_before):i + 1]
                                       + ["  ..."] + lines[max(i + 1, end - lines_after):end + 1]]))
    return excerpts


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="faster techniques and less time (CI)")
    parser.add_argument("--keep", metavar="DIR", help="keep the scanners' logs and reports in DIR")
    args = parser.parse_args()
    missing = [tool for tool in ("sqlmap", "wapiti") if shutil.which(tool) is None]
    if missing:
        print(f"needs {' and '.join(missing)} (apt install sqlmap wapiti)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        out = Path(args.keep) if args.keep else tmp / "out"
        out.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{tmp / 'scan.sqlite3'}"
        email, password = seed(url, tmp / "instance")
        env = dict(os.environ, DATABASE_URL=url, KVIFOR_SECRET_KEY="scanner-secret", PYTHONPATH=str(REPO),
                   KVIFOR_RATE_LIMITS=UNLIMITED, KVIFOR_LOGIN_THROTTLE=NO_DELAYS, KVIFOR_LOG_LEVEL="WARNING")
        server = Server("wsgi:app", 2, env, tmp / "gunicorn.log")
        try:
            base = server.url
            respondent = Respondent(base)
            staff = Staff(base, email, password)
            page = {"page": "1", "action": "next", "org": "demo", "lang": "nn", "sector": "helse_omsorg",
                    "tenure": "y3_5", "position_now": "60", "csrf_token": respondent.csrf}
            targets = [
                ("respondent-page", f"{base}/svar", respondent.cookie_header, page, f"{base}/svar"),
                ("open-link", f"{base}/o/demo/sluttsamtale?lang=nn", respondent.cookie_header, None, None),
                ("letter-code", f"{base}/kode", "", {"code": "ABCD-EFGH-JKLM", "csrf_token": "x"}, f"{base}/kode"),
                ("login", f"{base}/logg-inn", "", {"email": "someone@example.no", "password": "not the password",
                                                   "csrf_token": "x"}, f"{base}/logg-inn"),
                ("hr-results", f"{base}/org/demo/resultat?q=sluttsamtale&period=2026Q3&span=4&by=sector",
                 staff.cookie_header, None, None),
                ("hr-export", f"{base}/org/demo/resultat/eksport.csv?q=sluttsamtale&span=4&table=main_reason",
                 staff.cookie_header, None, None),
                ("hr-actions", f"{base}/org/demo/tiltak", staff.cookie_header,
                 {"title": "Test", "description": "Skildring", "responsible": "HR", "target": "cause:lonn",
                  "started_on": "2026-10-01", "status": "planned", "csrf_token": "x"}, f"{base}/org/demo/tiltak"),
            ]
            if args.quick:
                targets = [t for t in targets if t[0] in ("respondent-page", "hr-results", "hr-actions")]
            results = [sqlmap(name, target, cookie, out, args.quick, data, csrf)
                       for name, target, cookie, data, csrf in targets]
            scan = wapiti(base, staff, out, args.quick)
            probes = attack_probes(base, Staff(base, email, password))
        finally:
            server.stop()
        server_log = (tmp / "gunicorn.log").read_text()

    failures = 0
    print(f"# scanners against Kvifor on loopback{' (quick)' if args.quick else ''}")
    print(f"{'sqlmap target':18} {'tests':>6}  {'injectable':>10}  {'500s':>5}")
    for r in results:
        print(f"{r['target']:18} {r['tests']:6}  {len(r['injectable']):10}  {r['server_errors']:5}"
              f"  {', '.join(r['injectable'])}")
        failures += len(r["injectable"]) + r["server_errors"] + (0 if r["tests"] and r["clean"] else 1)
    print(f"sqlmap: {sum(len(r['injectable']) for r in results)} injectable parameters in {len(results)} targets")
    print(f"wapiti: {scan['crawled']} URLs and forms found, {len(scan['serious'])} findings of medium or higher, "
          f"{scan['low']} low, {len(scan['anomalies'])} anomalies")
    for finding in scan["serious"] + scan["anomalies"]:
        print("  ", finding)
    for finding in scan["rechecked"]:
        print("   re-checked, the token is checked (wapiti sent the multipart fields as files):", finding)
    failures += len(scan["serious"]) + len(scan["anomalies"])
    if scan["crawled"] < 50:  # a scan that never got past the login page proves nothing
        print("wapiti found too little: was the login lost?")
        failures += 1
    for name, ok, detail in probes:
        print(f"probe: {name}: {'ok' if ok else 'FAILED'} ({detail})")
        failures += 0 if ok else 1
    tracebacks = server_log.count("Traceback")
    print(f"server log: {tracebacks} tracebacks")
    for excerpt in _traceback_excerpts(server_log):
        print(excerpt)
    failures += tracebacks
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
