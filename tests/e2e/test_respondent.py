"""A respondent in a real browser: every questionnaire from a personal link, errors and their
correction, resume after closing, the open link, and the flow without JavaScript."""
from __future__ import annotations

import pytest

from survey_app.demo.seed import run as seed
from survey_app.extensions import db
from tests.e2e.conftest import go


def fresh_link(live, key: str) -> str:
    with live["app"].app_context():
        result = seed(db.session, live["app"].extensions["questionnaires"], responses=0)
    return f"{live['base']}/s/{result.links[key]}"


def finished(page) -> bool:
    return "Takk" in page.title() or "Thank" in page.title()


def answer_everything(page, axe, state: str, check_every_page: bool = True):
    """Go through the pages, choosing the first option where a page insists on an answer."""
    for step in range(12):
        if finished(page):
            return
        button = page.locator("button[value=submit], button[value=next]").first
        go(page, button)
        if page.locator(".error-summary").count():
            if check_every_page:
                axe.check(page, f"{state}-error")
            for field in page.locator(".has-error").all():
                first = field.locator("input[type=radio], input[type=checkbox]").first
                if first.count():
                    first.check()
            go(page, page.locator("button[value=submit], button[value=next]").first)
        if check_every_page and step < 2 and not finished(page):
            axe.check(page, f"{state}-page{step + 2}")
    raise AssertionError("the questionnaire never ended")


@pytest.mark.parametrize("key", ["sluttsamtale", "onboarding", "laerling", "rekruttering"])
def test_each_questionnaire_from_a_personal_link_in_nynorsk(live, page, axe, key):
    page.goto(fresh_link(live, key))
    axe.check(page, f"{key}-intro")
    assert page.locator("html").get_attribute("lang") == "nn"
    go(page, page.get_by_role("button").first)
    answer_everything(page, axe, key, check_every_page=key == "sluttsamtale")
    assert "Takk for svara dine" in page.title()
    axe.check(page, f"{key}-thanks")


@pytest.mark.parametrize("key", ["sluttsamtale", "onboarding", "laerling", "rekruttering"])
def test_each_questionnaire_from_a_personal_link_in_english(live, page, axe, key):
    page.goto(fresh_link(live, key))
    go(page, page.get_by_role("link", name="English"))
    assert page.locator("html").get_attribute("lang") == "en"
    axe.check(page, f"{key}-intro-en")
    go(page, page.get_by_role("button").first)
    axe.check(page, f"{key}-page1-en")
    answer_everything(page, axe, f"{key}-en", check_every_page=False)
    assert "Thank you" in page.title()
    assert page.locator("html").get_attribute("lang") == "en"
    axe.check(page, f"{key}-thanks-en")


def test_english_and_resume_after_closing(live, browser, axe):
    link = fresh_link(live, "sluttsamtale")
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(link)
    go(page, page.get_by_role("link", name="English"))
    assert page.locator("html").get_attribute("lang") == "en"
    go(page, page.get_by_role("button").first)
    go(page, page.locator("button[value=next]"))
    context.close()  # the browser is closed halfway
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(link)
    assert "2 av 4" in page.title() or "2 of 4" in page.title()
    answer_everything(page, axe, "resume", check_every_page=False)
    assert "Takk" in page.title() or "Thank" in page.title()
    context.close()


def test_open_link_and_the_flow_without_javascript(live, browser, axe):
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live["base"] + "/o/demo/sluttsamtale")  # axe needs JavaScript; these pages are checked above
    go(page, page.get_by_role("button").first)
    answer_everything(page, axe, "nojs", check_every_page=False)
    assert "Takk" in page.title()
    context.close()


def test_used_link_and_code_page(live, page, axe):
    page.goto(live["base"] + "/s/ukjend-lenkje")
    axe.check(page, "unknown-link")
    page.goto(live["base"] + "/kode")
    axe.check(page, "code")
    page.fill("#code", "AAAA-BBBB-CCCC")
    go(page, page.locator("main button[type=submit]"))
    axe.check(page, "code-error")


def test_public_pages(live, page, axe):
    for path, state in [("/", "front"), ("/personvern", "privacy"), ("/tilgjengelegheit", "accessibility")]:
        page.goto(live["base"] + path)
        axe.check(page, state)
