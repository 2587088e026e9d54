"""Sending e-mail over SMTP, configured in ``config/`` (``MAIL_*``)."""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid


class MailNotConfigured(Exception):
    pass


class Mailer:
    """One SMTP connection for a batch of messages; use as a context manager."""

    def __init__(self, config: dict):
        if not config.get("MAIL_SERVER"):
            raise MailNotConfigured()
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        config = self.config
        if config.get("MAIL_USE_SSL"):
            self.connection = smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30,
                                               context=ssl.create_default_context())
        else:
            self.connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
            if config.get("MAIL_USE_STARTTLS"):
                self.connection.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            self.connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        return self

    def __exit__(self, *exc) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except smtplib.SMTPException:
                pass

    def send(self, to: str, subject: str, body: str, language: str) -> None:
        message = EmailMessage()
        message["From"] = self.config["MAIL_FROM"]
        message["To"] = to
        # A header cannot hold a line break; one in an old organisation name must not stop the mail.
        message["Subject"] = " ".join(subject.split())
        message["Message-ID"] = make_msgid(domain=self.config["MAIL_FROM"].split("@")[-1])
        message.set_content(body)
        message["Content-Language"] = language  # after set_content, which clears Content-* headers
        self.connection.send_message(message)
