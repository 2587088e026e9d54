"""Error pages in the user's language; never a stack trace."""
from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from survey_app.extensions import db
from survey_app.security import UnstorableCharacter


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template(
            "errors/error.html", status=400, title=_("The page had expired"),
            message=_("For your security the form could not be saved. Go back, reload the page and try again."),
        ), 400

    @app.errorhandler(UnstorableCharacter)
    def unstorable_character(error):
        return render_template(
            "errors/error.html", status=400, title=_("Something in the form could not be saved"),
            message=_("What you sent holds an invisible control character (NUL) that cannot be stored. "
                      "Remove it, or type the text again, and try once more."),
        ), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        titles = {
            404: _("Page not found"),
            405: _("Not allowed"),
            413: _("Too much data"),
            429: _("Too many attempts"),
        }
        messages = {
            404: _("We could not find the page you asked for. Check the address, or use the link you received."),
            413: _("What you sent was larger than we accept. Shorten the text and try again."),
            429: _("Please wait a little before you try again."),
        }
        code = error.code or 500
        # Retry-After tells a browser or script how long a 429 or 503 lasts.
        headers = [(name, value) for name, value in error.get_headers() if name.lower() == "retry-after"]
        return render_template(
            "errors/error.html", status=code,
            title=titles.get(code, _("Something went wrong")),
            message=messages.get(code, _("The request could not be handled. Please try again.")),
        ), code, headers

    if app.testing:
        return  # let tests see the real exception

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # Keep the database consistent for the next request; the traceback goes to the log only.
        db.session.rollback()
        app.logger.exception("unhandled error")
        return render_template(
            "errors/error.html", status=500, title=_("Something went wrong"),
            message=_("An error occurred on our side. Your earlier answers are saved. Please try again in a moment."),
        ), 500
