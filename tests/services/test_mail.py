"""E-mail through a real SMTP server on loopback."""
from __future__ import annotations

from survey_app.services.mail import Mailer


def test_a_line_break_in_an_old_organisation_name_does_not_stop_the_mail(mail_app, smtp_sink):
    with Mailer(mail_app.config) as mailer:
        mailer.send("kari@example.no", "Spørjeundersøking – Alver\r\nBcc: x@evil.example", "Hei", "nn")
    recipients, message = smtp_sink.messages[0]
    assert recipients == ["kari@example.no"]
    assert message["Subject"] == "Spørjeundersøking – Alver Bcc: x@evil.example" and message["Bcc"] is None
