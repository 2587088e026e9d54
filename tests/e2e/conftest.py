"""Real browser: Debian's Chromium driven by Playwright against the app served on loopback, with
axe-core (from npm, injected into each page) checking WCAG 2.0/2.1 A and AA.

Needs /usr/bin/chromium, the playwright package and axe-core in tests/e2e/node_modules (``.ci/run``
installs all three; locally: ``make e2e-deps``). Without them these tests are skipped, saying why.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
from werkzeug.serving import make_server

from config import TestingConfig
from survey_app import create_app
from survey_app.extensions import db

CHROMIUM = os.environ.get("KVIFOR_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover
    sync_playwright = None

missing = [what for what, ok in (("chromium", shutil.which(CHROMIUM) or Path(CHROMIUM).exists()),
                                 ("playwright", sync_playwright is not None), ("axe-core", AXE.exists())) if not ok]


def pytest_collection_modifyitems(config, items):
    # A conftest's own pytestmark reaches no test module, so the skip is put on each browser test here.
    if not missing:
        return
    skip = pytest.mark.skip(reason=f"browser tests need: {', '.join(missing)}")
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def live(database_url, tmp_path_factory):
    """The app with the demo data, served on a free loopback port for one test module; the shared
    test database is emptied again when the module is done."""
    # One HR user logs in for every test and viewport of a module, more often than the login
    # limit allows; the limits have tests of their own (tests/security/test_rate_limits.py).
    limits = {**TestingConfig.RATE_LIMITS, "login": (1000, 15), "second_factor": (1000, 15)}
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True,
                                     "MAIL_SERVER": None, "RATE_LIMITS": limits,
                                     "LOGIN_THROTTLE": {"free_failures": 10**6, "account_ceiling": 10**6}},
                     instance_path=str(tmp_path_factory.mktemp("e2e-instance")))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = base
    with app.app_context():
        from survey_app.demo.seed import run as seed
        result = seed(db.session, app.extensions["questionnaires"], responses=200, seed=7)
        links = dict(result.links)
        password = result.hr_password
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"app": app, "base": base, "links": links, "hr_email": result.hr_email, "hr_password": password}
    server.shutdown()
    with app.app_context():  # leave the shared test database as empty as we found it
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=[320, 1280], ids=["phone", "desktop"])
def page(request, browser):
    context = browser.new_context(bypass_csp=True, viewport={"width": request.param, "height": 900})
    tab = context.new_page()
    tab.width = request.param
    yield tab
    context.close()


class Axe:
    """Runs axe on the page as it is now and remembers what was checked."""
    checked: list[str] = []
    failed: list[str] = []

    @staticmethod
    def check(page, state: str) -> None:
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = f"{state}-{page.viewport_size['width']}".replace("/", "_")
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        Axe.checked.append(name)
        problems = [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}"
                    for v in result["violations"]]
        if problems:
            Axe.failed.append(name)
        assert problems == [], f"{state} at {page.viewport_size['width']}px:\n" + "\n".join(problems)
        # Nothing may scroll sideways on a phone (WCAG 1.4.10 reflow).
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 1:
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                              && !el.closest('.table-scroll'))
                .slice(0, 6).map(el => el.tagName + '.' + el.className + '#' + el.id)""")
            raise AssertionError(f"{state} at {page.viewport_size['width']}px scrolls sideways by {overflow}px: {wide}")


@pytest.fixture
def axe():
    return Axe


def pytest_terminal_summary(terminalreporter):
    """How many page states axe checked, and which, for the record (artifacts/axe-checks.txt)."""
    if not Axe.checked:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS.parent / "axe-checks.txt").write_text("\n".join(Axe.checked) + "\n")
    states = sorted({name.rsplit("-", 1)[0] for name in Axe.checked})
    terminalreporter.write_line(f"axe-core (WCAG 2.0/2.1 A and AA): {len(Axe.checked)} checks, {len(Axe.failed)} with violations, "
                                f"{len(states)} page states at 320 and 1280 px: {', '.join(states)}")


def go(page, locator) -> None:
    """Click something that leads to another page and wait for that page, not just for the click."""
    with page.expect_navigation():
        locator.click()


def log_in(page, live):
    page.goto(live["base"] + "/logg-inn")
    page.fill("#email", live["hr_email"])
    page.fill("#password", live["hr_password"])
    go(page, page.locator("main button[type=submit]"))
    assert urlparse(page.url).path != "/logg-inn", "the HR login failed"  # the code step is further on
