"""Security headers on every kind of response: pages, redirects, errors, files, exports."""
import pytest



@pytest.mark.parametrize("path", ["/", "/logg-inn", "/s/unknown-token", "/finst-ikkje", "/static/kvifor.css",
                                  "/org/testvik/", "/healthz"])
def test_headers_everywhere(client, org, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Strict-Transport-Security" not in response.headers  # only when cookies are Secure (production)


def test_hsts_in_production(app, client, org, make_user):
    app.config["SESSION_COOKIE_SECURE"] = True
    assert "max-age=" in client.get("/").headers["Strict-Transport-Security"]


def test_no_inline_scripts_or_styles_in_templates():
    import re
    from tests.conftest import REPO
    for path in (REPO / "survey_app" / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert " style=" not in text and "<style" not in text, path
        assert not re.search(r"\bon[a-z]+=\"", text), path
