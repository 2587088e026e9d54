"""The production server for real: two gunicorn processes on one database serve one respondent
(a draft saved through one is finished through the other), and no personal link reaches a log."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import REPO

GUNICORN = Path(sys.executable).with_name("gunicorn")
pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def servers(database_url, tmp_path, org):
    env = dict(os.environ, DATABASE_URL=database_url, KVIFOR_SECRET_KEY="shared-secret-for-both",
               KVIFOR_WTF_CSRF_ENABLED="false", PYTHONPATH=str(REPO))
    processes, ports, logs = [], [], []
    for index in range(2):
        port = free_port()
        log = open(tmp_path / f"gunicorn{index}.log", "w+")
        processes.append(subprocess.Popen(
            [str(GUNICORN), "-c", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--no-control-socket", "wsgi:app"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT))
        ports.append(port)
        logs.append(log)
    for port in ports:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except OSError:  # not listening yet, or still booting
                time.sleep(0.1)
    yield ports, logs
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def test_two_processes_share_one_respondent_and_logs_hold_no_tokens(servers, database_url):
    (first, second), logs = servers
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(port, path, data):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=urlencode(data, doseq=True).encode())
        return opener.open(request, timeout=10)

    post(first, "/o/testvik/sluttsamtale", {"lang": "nn"})
    post(first, "/svar", {"page": "1", "action": "next", "sector": "helse_omsorg"})
    post(second, "/svar", {"page": "2", "action": "next", "main_reason": "lonn"})
    post(second, "/svar", {"page": "3", "action": "next"})
    final = post(first, "/svar", {"page": "4", "action": "submit"})
    assert "/takk/testvik" in final.geturl()
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM response")).scalar() == 1
    engine.dispose()

    token = "Abc123SecretToken_xyz-0987654321"
    # The same link with one character percent-encoded, and with the "s" encoded, still routes.
    for path in (f"/s/{token}", f"/s/Abc123Secret%54oken_xyz-0987654321", f"/%73/{token}"):
        try:
            opener.open(f"http://127.0.0.1:{second}{path}", timeout=10)
        except urllib.error.HTTPError as error:
            assert error.code in (404, 429)
    time.sleep(0.3)
    written = "".join(Path(log.name).read_text() for log in logs)
    assert written.count("/s/[token]") >= 3 and token not in written
    assert "Abc123Secret" not in written and "0987654321" not in written
    assert not re.search(r"127\.0\.0\.1 - ", written)  # no client addresses in the access log


def test_development_server_log_lines_are_redacted(app):
    import logging
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())
    logger = logging.getLogger("werkzeug")
    handler = Keep()
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        logger.info('%s - - [%s] "%s" %s -', "127.0.0.1", "now", "GET /s/Abc123SecretToken_xyz HTTP/1.1", 302)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    assert records == ['127.0.0.1 - - [now] "GET /s/[token] HTTP/1.1" 302 -']


@pytest.mark.parametrize("line, expected", [
    ("GET /s/Abc123SecretToken HTTP/1.1", "GET /s/[token] HTTP/1.1"),
    ("GET /s/Abc123Secret%54oken_xyz HTTP/1.1", "GET /s/[token] HTTP/1.1"),
    ("GET /%73/Abc123SecretToken HTTP/1.1", "GET /s/[token] HTTP/1.1"),
    ("GET /s%2FAbc123SecretToken HTTP/1.1", "GET /s/[token] HTTP/1.1"),
    ("GET %2F%53%2fAbc123SecretToken?x=1 HTTP/1.1", "GET /s/[token]?x=1 HTTP/1.1"),
    ('"GET /s/%41%42%43%44 HTTP/1.1" 404', '"GET /s/[token] HTTP/1.1" 404'),
    ("GET /static/kvifor.css HTTP/1.1", "GET /static/kvifor.css HTTP/1.1"),
    ("GET /o/demo/sluttsamtale HTTP/1.1", "GET /o/demo/sluttsamtale HTTP/1.1"),
])
def test_personal_links_are_redacted_in_every_encoding(line, expected):
    from survey_app.logs import redact
    assert redact(line) == expected
