"""Logging: personal links never reach a log, and logs can be JSON lines for a log collector.

A personal link's token in an access log would let whoever reads the log answer in someone's
name, so every log record passes through ``RedactTokens``: the werkzeug development server's,
gunicorn's access log (``config/gunicorn.conf.py`` uses ``RedactingGunicornLogger``) and the app's.
"""
from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timezone

from flask import Flask

# "/s/" as the router sees it after percent-decoding ("%2F" for a slash, "%73"/"%53" for the s; the
# router is case-sensitive but a log reader is not), then everything up to the end of the path.
TOKEN_PATH = re.compile(r"(?:/|%2f)(?:s|%73|%53)(?:/|%2f)[^\s\"'?#]*", re.IGNORECASE)


def redact(text: str) -> str:
    return TOKEN_PATH.sub("/s/[token]", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (already redacted)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(app: Flask) -> None:
    token_filter = RedactTokens()
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error", app.logger.name):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(token_filter)
    if app.config.get("LOG_FORMAT") == "json":
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        handler.addFilter(token_filter)
        app.logger.handlers[:] = [handler]
        app.logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))


try:  # gunicorn is the production server; the development server does not need it
    from gunicorn.glogging import Logger as _GunicornLogger

    class RedactingGunicornLogger(_GunicornLogger):
        def access(self, resp, req, environ, request_time):
            environ = dict(environ, PATH_INFO=redact(environ.get("PATH_INFO", "")),
                           RAW_URI=redact(environ.get("RAW_URI", "")))
            super().access(resp, req, environ, request_time)
except ImportError:  # pragma: no cover
    pass
