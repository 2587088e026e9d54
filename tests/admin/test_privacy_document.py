"""The privacy documentation is made from the organisation's own settings and holdings, in its
written standard, as a page for the administrator and as a PDF to hand to the data protection
officer (rendered for real with WeasyPrint and read back with pdftotext)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from survey_app.models import Organisation
from tests.conftest import login


@pytest.fixture
def admin_client(client, session, org, make_user):
    organisation = session.get(Organisation, org.id)
    organisation.min_group_size, organisation.raw_text_days, organisation.identity_days = 7, 90, 21
    make_user("admin@testvik.no", {org: ["admin", "hr"]})
    protected = make_user("hr2@testvik.no", {org: ["hr"]})
    protected.totp_secret = "JBSWY3DPEHPK3PXP"
    make_user("leiar@testvik.no", {org: ["leader"]})
    session.commit()
    login(client, "admin@testvik.no")
    return client


def test_the_page_states_the_organisations_own_settings_and_holdings(admin_client):
    page = admin_client.get("/org/testvik/admin/personvern").get_data(as_text=True)

    assert "Personverndokumentasjon for Kvifor – Testvik kommune" in page
    assert "Fritekst slik han vart skriven: 90 dagar" in page
    assert "Namn, e-post og mobil: 21 dagar" in page
    assert "grupper på minst 7" in page
    assert "1 av 3 brukarkontoar for tilsette brukar tofaktor" in page  # the admin, HR 2 (with TOTP), the leader
    assert "Personvernforordninga artikkel 6 nr. 1 bokstav e" in page
    assert "Sluttsamtale" in page  # the questionnaires in use
    # The rule, in plain words: groups of people, closed periods, no subtraction, ten writers.
    assert "Grupper, ikkje enkelttal" in page
    assert "«éin av dei 40 valde løn» ikkje seier kven" in page and "«færre enn 7 svar»" in page
    assert "aldri kvartalet som går" in page and "Ein kommune kan berre vere med i éin region." in page
    assert "krev minst 10 som har skrive" in page


def test_the_page_follows_the_chosen_language(admin_client):
    page = admin_client.get("/org/testvik/admin/personvern?lang=en").get_data(as_text=True)
    assert "Free text as written: 90 days" in page and "Legal basis: options for a public employer" in page
    bokmal = admin_client.get("/org/testvik/admin/personvern?lang=nb").get_data(as_text=True)
    assert "Grupper, ikke enkelttall" in bokmal and "aldri kvartalet som pågår" in bokmal


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (apt install poppler-utils)")
def test_the_pdf_is_the_same_document(admin_client, tmp_path):
    response = admin_client.get("/org/testvik/admin/personvern.pdf")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    path = tmp_path / "personvern.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Personverndokumentasjon for Kvifor" in text and "Testvik kommune" in text
    assert "90 dagar" in " ".join(text.split())
    assert "Last ned som PDF" not in text


def test_only_the_administrator_may_read_it(client, org, make_user):
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    assert client.get("/org/testvik/admin/personvern").status_code == 404
    assert client.get("/org/testvik/admin/personvern.pdf").status_code == 404
