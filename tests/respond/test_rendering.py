"""Reused question markup: a page served from the cache is the page rendered afresh, the language
and the chosen options are part of what is reused, and typed text never is."""
from __future__ import annotations

import re

from survey_app.respond.rendering import CACHE_KEY
from tests.respond.test_flow import ABOUT, REASONS, post_page

CSRF = re.compile(r'name="csrf_token" value="[^"]*"')


def _html(response) -> str:
    return CSRF.sub("", response.get_data(as_text=True))  # the token is signed afresh every time


def _started(client, make_invitation):
    client.get(f"/s/{make_invitation()}")
    post_page(client, 0, {}, "start")


def test_a_page_from_the_cache_is_the_page_rendered_afresh(app, client, make_invitation):
    _started(client, make_invitation)
    app.extensions.pop(CACHE_KEY, None)
    fresh = _html(client.get("/svar"))
    assert app.extensions[CACHE_KEY]
    assert _html(client.get("/svar")) == fresh

    wrong = {**ABOUT, "position_now": "not a number"}
    app.extensions.pop(CACHE_KEY, None)
    fresh = _html(post_page(client, 1, wrong))
    again = _html(post_page(client, 1, wrong))
    assert again == fresh and 'aria-invalid="true"' in again

    post_page(client, 1, ABOUT)
    assert "Kvifor du sluttar" in _html(client.get("/svar"))
    english = _html(client.get("/svar?lang=en"))
    assert "Why you are leaving" in english and "Kvifor du sluttar" not in english


def test_a_changed_answer_shows_as_chosen_from_the_cache(client, make_invitation):
    _started(client, make_invitation)
    post_page(client, 1, ABOUT)
    for reason, other in (("lonn", "leiing"), ("leiing", "lonn")):
        post_page(client, 2, {**REASONS, "main_reason": reason})
        post_page(client, 3, {}, "back")  # back on page 2, which shows what was saved
        page = _html(client.get("/svar"))
        assert re.search(rf'name="main_reason" value="{reason}"\s+checked', page)
        assert not re.search(rf'name="main_reason" value="{other}"\s+checked', page)


def test_typed_text_is_never_kept_in_the_cache(app, client, make_invitation):
    _started(client, make_invitation)
    post_page(client, 1, ABOUT)
    marker = "Marker-Kari-Nordmann-4711"
    shown_again = _html(post_page(client, 2, {**REASONS, "main_reason_text": marker, "main_reason": ""}))
    assert marker in shown_again  # a required answer is missing: the page comes back with the text
    post_page(client, 2, {**REASONS, "main_reason_text": marker})
    post_page(client, 3, {}, "back")
    assert marker in _html(client.get("/svar"))
    cached = app.extensions[CACHE_KEY]
    assert cached and not any(marker in repr(key) or marker in html for key, html in cached.items())
