"""Follow-up of invitations: counts per closed quarter and group through the group gate, never who."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from survey_app.models import Invitation, InvitationStatus, Unit, hash_token
from survey_app.models._time import today
from survey_app.privacy.periods import block, last_closed_quarter
from tests.conftest import login


def _invite(session, org, unit, count, answered, sent: datetime, answered_quarter: str, late: int = 0):
    for i in range(count):
        used = i < answered + late
        session.add(Invitation(organisation_id=org.id, questionnaire_key="sluttsamtale", unit_id=unit.id,
                               token_hash=hash_token(f"{unit.code}-{i}-{sent}"), sent_at=sent, last_sent_at=sent,
                               expires_at=sent + timedelta(days=30), sent_to="private",
                               status=InvitationStatus.used if used else InvitationStatus.expired,
                               answered_quarter=(answered_quarter if i < answered else "later") if used else None))


def _rows(html: str) -> dict[str, str]:
    rows = {}
    for caption, body in re.findall(r"<caption>(.*?)</caption>(.*?)</table>", html, re.S):
        for name, cells in re.findall(r'<th scope="row"[^>]*>(.*?)</th>(.*?)</tr>', body, re.S):
            rows[f"{caption} | {name}"] = " ".join(re.sub(r"<[^>]+>", " ", cells).split())
    return rows


def test_a_closed_quarter_shows_groups_whole_and_hides_small_ones_without_giving_them_away(
        client, session, org, make_user):
    school = Unit(code="OP", name="Oppvekst", organisation_id=org.id)
    session.add(school)
    session.flush()
    first, second = (Unit(code=f"OP-{i}", name=name, organisation_id=org.id, parent_id=school.id)
                     for i, name in ((1, "Skule"), (2, "Barnehage")))
    session.add_all([first, second])
    session.flush()
    home_care = session.query(Unit).filter_by(code="HO-1").one()
    quarter = last_closed_quarter(today())
    sent = datetime.combine(block(quarter).start + timedelta(days=20), datetime.min.time())
    _invite(session, org, home_care, 9, 6, sent, quarter, late=1)  # one answered after the quarter ended
    _invite(session, org, first, 6, 5, sent, quarter)
    _invite(session, org, second, 3, 1, sent, quarter)
    session.commit()
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    rows = _rows(client.get("/org/testvik/invitasjonar").get_data(as_text=True))
    by_q = f"Etter spørjeundersøking, {quarter}"
    by_unit = f"Etter sektor og eining, {quarter}"
    # The people invited are the group; those who answered, its distribution.
    assert rows[f"{by_q} | Sluttsamtale"] == "18 12 67 %" and rows[f"{by_q} | I alt"] == "18 12 67 %"
    assert rows[f"{by_unit} | Helse og omsorg"] == "9 6 67 %" and rows[f"{by_unit} | Heimetenesta"] == "9 6 67 %"
    assert rows[f"{by_unit} | Oppvekst"] == "9 6 67 %"
    assert rows[f"{by_unit} | Barnehage"] == "færre enn 5 inviterte"  # 3 invited, so not even that 1 answered
    # Skule (6 invited) would give Barnehage away (9 - 6 = 3), so it gives way, saying why.
    assert rows[f"{by_unit} | Skule"] == "halde tilbake for å verne ei mindre gruppe"
    assert rows[f"Etter kvartal, heile organisasjonen | {quarter}"] == "18 12 67 %"


def test_enough_invited_but_few_answered_shows_only_that(client, session, org, make_user):
    home_care = session.query(Unit).filter_by(code="HO-1").one()
    quarter = last_closed_quarter(today())
    sent = datetime.combine(block(quarter).start + timedelta(days=20), datetime.min.time())
    _invite(session, org, home_care, 7, 2, sent, quarter)  # seven invited, two answered
    session.commit()
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    rows = _rows(client.get("/org/testvik/invitasjonar").get_data(as_text=True))
    assert rows[f"Etter sektor og eining, {quarter} | Heimetenesta"] == "færre enn 5 svar"
    assert rows[f"Etter spørjeundersøking, {quarter} | Sluttsamtale"] == "færre enn 5 svar"
