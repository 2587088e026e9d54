"""The HR week, end to end over HTTP: import leavers, see the bad rows, invite through a real
SMTP server, people answer from the link in their e-mail, the counts move."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from survey_app.cli import send_invitations_command
from survey_app.models import Invitation, InvitationStatus, Person, Response
from survey_app.models._time import utcnow
from tests.conftest import login
from tests.respond.test_flow import ABOUT, NEXT, REASONS, STRATEGY

HEADER = "Namn;E-post arbeid;Privat e-post;Mobil;Einingskode;Stillingsprosent;Sluttdato;Alder\n"


def leavers_csv(count=30, bad=()):
    lines = [HEADER]
    for i in range(count):
        if i in bad:
            lines.append(f"Person {i};ikkje-ei-adresse;;;HO-1;80;31.12.2026;40\n")
        else:
            private = f"person{i}@example.no" if i % 2 else ""
            lines.append(f"Person {i};person{i}@testvik.no;{private};;HO-1;{50 + i};31.12.2026;{25 + i}\n")
    return "".join(lines).encode("utf-8")


@pytest.fixture
def hr(client, org, make_user, mail_app):
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    return client


def upload(client, data, kind="leaver"):
    import io
    return client.post("/org/testvik/import", data={"kind": kind, "file": (io.BytesIO(data), "sluttarar.csv")},
                       content_type="multipart/form-data")


def link_in(message) -> str:
    return re.search(r"http://kvifor\.test(/s/[\w-]+)", message.get_content()).group(1)


def answer(client, path):
    other = client.application.test_client()
    assert other.get(path).status_code == 302
    for page, data, action in [(0, {}, "start"), (1, ABOUT, "next"), (2, REASONS, "next"), (3, NEXT, "next"),
                               (4, STRATEGY, "submit")]:
        response = other.post("/svar", data={**data, "page": str(page), "action": action})
    assert "/takk/" in response.headers["Location"]


def test_import_thirty_leavers_with_three_bad_rows_then_invite_and_answer(hr, session, smtp_sink):
    response = upload(hr, leavers_csv(bad=(3, 11, 27)))
    preview = hr.get(response.headers["Location"])
    html = preview.get_data(as_text=True)
    assert "3 problem" in html and ">4<" in html and ">12<" in html and ">28<" in html  # file rows (header = 1)
    assert "«ikkje-ei-adresse» er ikkje ei e-postadresse" in html
    confirm = re.search(r'action="([^"]+/bekreft)"', html)
    assert confirm is None  # nothing can be confirmed while there are problems
    assert session.scalar(select(func.count()).select_from(Person)) == 0

    response = upload(hr, leavers_csv(count=27))
    html = hr.get(response.headers["Location"]).get_data(as_text=True)
    confirm = re.search(r'action="([^"]+/bekreft)"', html).group(1)
    assert hr.post(confirm).status_code == 302
    assert session.scalar(select(func.count()).select_from(Person)) == 27

    # Everyone got exactly one e-mail, at the private address where there is one.
    recipients = sorted(to for tos, _ in smtp_sink.messages for to in tos)
    expected = sorted(f"person{i}@example.no" if i % 2 else f"person{i}@testvik.no" for i in range(27))
    assert recipients == expected
    for _, message in smtp_sink.messages:
        body = message.get_content()
        assert message["Content-Language"] == "nn" and "Sluttsamtale" in message["Subject"]
        assert "For lita stilling" not in body and "main_reason" not in body  # no answer data, ever

    def follow_up_page():
        html = hr.get("/org/testvik/invitasjonar").get_data(as_text=True)
        return re.sub(r'name="csrf_token" value="[^"]+"', "", html)
    follow_up_page()  # once, for the messages about the import and the sending
    before = follow_up_page()
    assert "Ventar på utsending: 0." in before

    answer(hr, link_in(smtp_sink.messages[0][1]))
    answer(hr, link_in(smtp_sink.messages[1][1]))
    assert session.scalar(select(func.count()).select_from(Response)) == 2
    # Sent and answered in the running quarter: nothing HR sees of it moves until the quarter ends.
    assert follow_up_page() == before

    # Importing the same file again creates nobody and sends nothing.
    response = upload(hr, leavers_csv(count=27))
    assert "27 rader var importerte før" in hr.get(response.headers["Location"]).get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Person)) == 27
    assert len(smtp_sink.messages) == 27


def test_send_command_is_safe_to_run_twice_and_reminds_at_most_twice(mail_app, hr, session, smtp_sink):
    response = upload(hr, leavers_csv(count=5))
    html = hr.get(response.headers["Location"]).get_data(as_text=True)
    hr.post(re.search(r'action="([^"]+/bekreft)"', html).group(1))
    assert len(smtp_sink.messages) == 5
    runner = mail_app.test_cli_runner()
    result = runner.invoke(send_invitations_command, [])
    assert result.exit_code == 0 and "sent 0, reminders 0" in result.output
    for round_ in range(3):
        for invitation in session.scalars(select(Invitation)):
            invitation.last_sent_at = utcnow() - timedelta(days=8)
        session.commit()
        result = runner.invoke(send_invitations_command, [])
        assert result.exit_code == 0
        assert f"reminders {5 if round_ < 2 else 0}" in result.output, result.output
    assert len(smtp_sink.messages) == 15
    first_link = link_in(smtp_sink.messages[0][1])
    reminder_links = [link_in(m) for tos, m in smtp_sink.messages if tos == smtp_sink.messages[0][0]]
    assert set(reminder_links) == {first_link}  # the reminder carries the same personal link
    assert "Påminning" in smtp_sink.messages[-1][1]["Subject"]


def test_expiry_and_identity_erasure(mail_app, hr, session, smtp_sink):
    response = upload(hr, leavers_csv(count=2))
    html = hr.get(response.headers["Location"]).get_data(as_text=True)
    hr.post(re.search(r'action="([^"]+/bekreft)"', html).group(1))
    for invitation in session.scalars(select(Invitation)):
        invitation.expires_at = utcnow() - timedelta(days=31)  # the default identity_days is 30
    session.commit()
    result = mail_app.test_cli_runner().invoke(send_invitations_command, [])
    assert "expired 2" in result.output and "identities erased 2" in result.output
    session.expire_all()
    for person in session.scalars(select(Person)):
        assert person.name is None and person.email_work is None and person.identity_deleted_at is not None
        assert person.unit_id is not None and person.end_date is not None  # what counts are made of stays
    assert all(i.status is InvitationStatus.expired for i in session.scalars(select(Invitation)))


def test_letters_and_the_code_page(hr, session, smtp_sink, client):
    data = (HEADER + "Utan Epost;;;;HO-1;100;31.12.2026;50\n").encode()
    response = upload(hr, data)
    html = hr.get(response.headers["Location"]).get_data(as_text=True)
    hr.post(re.search(r'action="([^"]+/bekreft)"', html).group(1))
    assert smtp_sink.messages == []
    letters = hr.post("/org/testvik/invitasjonar/brev").get_data(as_text=True)
    code = re.search(r'class="letter-code">([A-Z0-9-]+)<', letters).group(1)
    assert "Utan Epost" in letters
    respondent = client.application.test_client()
    wrong = respondent.post("/kode", data={"code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 400 and 'aria-invalid="true"' in wrong.get_data(as_text=True)
    ok = respondent.post("/kode", data={"code": code.lower().replace("-", " ")})
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/svar")
    # The button counts letters not yet printed: none are waiting now, and pressing prints nothing.
    page = hr.get("/org/testvik/invitasjonar").get_data(as_text=True)
    assert "Skriv ut 1 brev" not in page and "Ingen brev ventar" in page and 'id="again"' in page
    assert "class=\"letter-code\"" not in hr.post("/org/testvik/invitasjonar/brev",
                                                   follow_redirects=True).get_data(as_text=True)
    # Printing again says what it does and needs a tick; then the first letter stops working.
    refused = hr.post("/org/testvik/invitasjonar/brev", data={"again": "yes"})
    assert "error=confirm" in refused.headers["Location"]
    assert respondent.post("/kode", data={"code": code}).status_code == 302
    again = hr.post("/org/testvik/invitasjonar/brev", data={"again": "yes", "confirm": "yes"}).get_data(as_text=True)
    assert "Utan Epost" in again and code not in again
    assert respondent.post("/kode", data={"code": code}).status_code == 400


def test_a_person_whose_email_could_not_be_sent_can_get_a_letter(hr, session, mail_app):
    data = (HEADER + "Feil Adresse;avvist@testvik.no;;;HO-1;100;31.12.2026;50\n").encode()
    response = upload(hr, data)
    html = hr.get(response.headers["Location"]).get_data(as_text=True)
    hr.post(re.search(r'action="([^"]+/bekreft)"', html).group(1))  # the mail server refuses the address
    hr.post("/org/testvik/invitasjonar/send")
    session.expire_all()
    assert session.scalars(select(Invitation)).one().sent_to == "failed"
    page = hr.get("/org/testvik/invitasjonar").get_data(as_text=True)
    assert "Skriv ut 1 brev" in page
    letters = hr.post("/org/testvik/invitasjonar/brev").get_data(as_text=True)
    assert "Feil Adresse" in letters and 'class="letter-code"' in letters


def test_send_command_without_mail_configuration(app, org):
    result = app.test_cli_runner().invoke(send_invitations_command, [])
    assert result.exit_code == 2 and "MAIL_SERVER" in result.output


def test_without_email_on_the_server_everyone_waiting_gets_a_letter(client, org, make_user):
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    data = (HEADER + "Med Epost;med@testvik.no;;;HO-1;100;31.12.2026;50\n").encode()
    response = upload(client, data)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    client.post(re.search(r'action="([^"]+/bekreft)"', html).group(1))
    page = client.get("/org/testvik/invitasjonar").get_data(as_text=True)
    assert "Skriv ut 1 brev" in page and "E-post er ikkje sett opp" in page
    letters = client.post("/org/testvik/invitasjonar/brev").get_data(as_text=True)
    assert "Med Epost" in letters and 'class="letter-code"' in letters
