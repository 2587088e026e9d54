"""Security headers on every response, error pages included; input no database can store refused."""
from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.exceptions import BadRequest


class UnstorableCharacter(BadRequest):
    """A form field, query parameter or file name held a NUL character."""

# No inline script anywhere (kvifor.js is a file), so scripts need no 'unsafe-inline'. Styles are
# files too; charts are SVG elements in the page, which CSP does not treat as style.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])


def install_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        # Personal links carry a token; no page may leak its address to another site.
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def install_input_guard(app: Flask) -> None:
    """Refuse a request whose fields hold a NUL character, with a clear 400 page.

    No keyboard types one, PostgreSQL cannot store one in text, and SQLite would cut the text
    short on the way out; refusing it up front keeps every form from having to know."""
    @app.before_request
    def refuse_nul():
        fields = [*request.args.items(multi=True), *request.form.items(multi=True)]
        names = [upload.filename or "" for upload in request.files.values()]
        if any("\x00" in key or "\x00" in value for key, value in fields) or any("\x00" in n for n in names):
            raise UnstorableCharacter()
