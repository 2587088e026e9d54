"""Killing a gunicorn worker in the middle of submits loses nothing that was acknowledged: every
submit that got its receipt is in the database, and a respondent whose submit was cut off can
send again and is stored exactly once."""
from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from survey_app.models import Response, ResponseDraft, hash_token
from tests.conftest import REPO
from tests.serving.test_gunicorn import GUNICORN, free_port

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")

RESPONDENTS = 60
FINAL_PAGE = {"page": "4", "action": "submit", "org": "testvik", "lang": "nn"}  # as the form sends it


def _engine(database_url):
    return create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))


@pytest.fixture
def ready_drafts(app, database_url, org):
    """Respondents who have answered every page but the last: drafts with their required answers."""
    questionnaire = app.extensions["questionnaires"].get("sluttsamtale")
    with app.app_context():
        from survey_app.extensions import db
        from survey_app.services.responding import start_open

        keys = []
        for _ in range(RESPONDENTS):
            started = start_open(db.session, db.session.get(type(org), org.id), questionnaire, "nn")
            started.draft.answers = {"sector": "helse_omsorg", "main_reason": "lonn"}
            started.draft.page = 4
            keys.append(started.key)
        db.session.commit()
    return keys


@pytest.fixture
def server(database_url, tmp_path):
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, KVIFOR_SECRET_KEY="kill-test", KVIFOR_WTF_CSRF_ENABLED="false",
               PYTHONPATH=str(REPO))
    log = open(tmp_path / "gunicorn.log", "w+")
    master = subprocess.Popen(
        [str(GUNICORN), "-c", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--no-control-socket", "wsgi:app"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            break
        except OSError:
            time.sleep(0.1)
    yield port, master
    master.terminate()
    master.wait(timeout=20)
    log.close()


def _workers(master) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master.pid)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def _send(port: int, key: str) -> bool:
    """One press of "send"; True when the receipt (the thank-you redirect) came back."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/svar", data=urllib.parse.urlencode(FINAL_PAGE).encode(),
        headers={"Cookie": f"kvifor_draft={key}"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    try:
        urllib.request.build_opener(NoRedirect).open(request, timeout=20)
    except urllib.error.HTTPError as answer:
        return answer.code == 302 and "/takk/" in answer.headers.get("Location", "")
    except OSError:
        return False  # cut off: no receipt
    return False


def test_killing_a_worker_mid_submit_loses_no_acknowledged_answer(server, ready_drafts, database_url):
    port, master = server
    engine = _engine(database_url)
    killed, progress = [], threading.Semaphore(0)

    def kill_one_worker():
        for _ in range(5):  # once a few submits are through, the others are in flight
            progress.acquire(timeout=20)
        victim = _workers(master)[0]
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)

    def send(key):
        try:
            return _send(port, key)
        finally:
            progress.release()

    killer = threading.Thread(target=kill_one_worker)
    killer.start()
    with ThreadPoolExecutor(max_workers=8) as pool:
        receipts = dict(zip(ready_drafts, pool.map(send, ready_drafts)))
    killer.join()
    assert killed, "no worker was killed"

    # The draft is deleted in the same transaction that stores the response, so a draft that is
    # gone is a response that is in.
    with Session(engine) as session:
        stored = session.scalar(select(func.count()).select_from(Response))
        waiting = set(session.scalars(select(ResponseDraft.key_hash)))
    assert not {hash_token(key) for key, acked in receipts.items() if acked} & waiting
    assert stored == RESPONDENTS - len(waiting)

    # Whoever got no receipt presses "send" again once the master has started a new worker; a
    # submit that was stored before its worker died answers with the same receipt. Every
    # respondent ends up stored exactly once.
    for _ in range(50):
        if len(_workers(master)) == 2:
            break
        time.sleep(0.1)
    for key, acked in receipts.items():
        if not acked:
            assert _send(port, key)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Response)) == RESPONDENTS
        assert session.scalar(select(func.count()).select_from(ResponseDraft)) == 0
    engine.dispose()
