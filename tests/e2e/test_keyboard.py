"""Every questionnaire can be completed with the keyboard alone (Tab, Space, Enter, arrow keys),
and the focused element is visibly marked at each step."""
from __future__ import annotations

import pytest

from tests.e2e.test_respondent import fresh_link

VISIBLE_FOCUS = """() => { const el = document.activeElement; if (!el || el === document.body) return false;
  const s = getComputedStyle(el); return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
  || s.boxShadow !== 'none'; }"""


def tab_to(page, selector: str, limit: int = 250) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            assert page.evaluate(VISIBLE_FOCUS), f"no visible focus on {selector}"
            return
    raise AssertionError(f"Tab never reached {selector}")


def submit(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("key", ["sluttsamtale", "onboarding", "laerling", "rekruttering"])
def test_keyboard_only(live, browser, key):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(fresh_link(live, key))
    tab_to(page, "main button")
    submit(page)
    for _ in range(12):
        if page.locator("button[value=submit]").count():
            tab_to(page, "button[value=submit]")
            submit(page)
            break
        tab_to(page, "button[value=next]")
        submit(page)
        for field in page.locator(".has-error").all():
            first = field.locator("input").first
            target = f"#{first.get_attribute('id')}"
            tab_to(page, target)
            if first.get_attribute("type") in ("radio", "checkbox"):
                page.keyboard.press("Space")
                if first.get_attribute("type") == "radio":
                    page.keyboard.press("ArrowDown")  # arrow keys move the choice within the group
            else:
                page.keyboard.type("1")
    assert "Takk" in page.title(), page.title()
    context.close()


def test_hr_filters_by_keyboard_at_320_px_and_without_javascript(live, browser):
    """The results filters are a plain form: Tab, the arrow keys and Enter choose a unit with
    JavaScript off, and the choice holds on the trends page."""
    from sqlalchemy import select

    from survey_app.extensions import db
    from survey_app.models import User
    from tests.e2e.conftest import log_in

    # The respondent tests above seed fresh links, which gives the demo's HR user a new password.
    with live["app"].app_context():
        user = db.session.scalars(select(User).filter_by(email=live["hr_email"])).one()
        user.set_password(live["hr_password"])
        db.session.commit()
    context = browser.new_context(viewport={"width": 320, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    log_in(page, live)
    page.goto(live["base"] + "/org/demo/resultat")
    tab_to(page, "select#unit")
    page.keyboard.press("ArrowDown")  # the first sector
    chosen = page.evaluate("document.querySelector('select#unit').value")
    assert chosen
    tab_to(page, "form.filters button[type=submit]")
    submit(page)
    assert f"unit={chosen}" in page.url
    page.goto(live["base"] + "/org/demo/resultat/trendar")
    assert page.evaluate("document.querySelector('select#unit').value") == chosen
    context.close()
