"""A NUL character (which no keyboard types, and PostgreSQL cannot store in text) in any field,
query parameter or file name gets a clear 400 page in the user's language, and nothing is stored.
Found by the form fuzzer on PostgreSQL: an action titled "\\x00" was a server error."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from survey_app.models import Action, ImportPreview
from tests.conftest import login

MESSAGE = "kontrollteikn (NUL)"


@pytest.fixture
def hr_client(client, org, make_user):
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    return client


def test_a_nul_in_a_form_field_is_refused_and_nothing_is_stored(hr_client, session):
    response = hr_client.post("/org/testvik/tiltak", data={"title": "\x00", "target": ""})

    assert response.status_code == 400 and MESSAGE in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Action)) == 0


def test_a_nul_in_a_query_parameter_or_file_name_is_refused(hr_client, session):
    assert hr_client.get("/org/testvik/resultat?q=slutt\x00samtale").status_code == 400
    upload = hr_client.post("/org/testvik/import", data={
        "kind": "leaver", "file": (io.BytesIO(b"namn;eining\nOla;HO-1\n"), "slutt\x00arar.csv")})
    assert upload.status_code == 400 and MESSAGE in upload.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(ImportPreview)) == 0


def test_the_page_is_in_the_users_language(client, org):
    response = client.post("/logg-inn?lang=en", data={"email": "a\x00@b.no", "password": "x"})
    assert response.status_code == 400 and "control character (NUL)" in response.get_data(as_text=True)
