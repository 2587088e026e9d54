"""The HR week in a real browser: import leavers with a bad row, send invitations into an SMTP
server on loopback, open the link from a received e-mail, answer, and see the counts move and a
small group hidden on the dashboard."""
from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.conftest import go, log_in
from tests.e2e.test_respondent import answer_everything

HEADER = "Namn;E-post arbeid;Privat e-post;Mobil;Einingskode;Stillingsprosent;Sluttdato;Alder\n"


def good_rows(tag: int) -> str:
    return "".join(f"Sluttar {tag}-{i};s{tag}{i}@demo.invalid;sluttar{tag}{i}@example.org;;HO-HTN;80;15.12.2026;"
                   f"{30 + i}\n" for i in range(6))
BAD = "Feil Rad;ikkje-epost;;;HO-HTN;80;15.12.2026;41\n"


def test_import_invite_answer_from_the_email(live, smtp_sink, page, axe, tmp_path):
    live["app"].config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port)
    tag = page.viewport_size["width"]
    log_in(page, live)
    page.goto(live["base"] + "/org/demo/import")
    bad = Path(tmp_path) / "bad.csv"
    bad.write_text(HEADER + good_rows(tag) + BAD, encoding="utf-8")
    page.set_input_files("#file", str(bad))
    go(page, page.locator("main form button[type=submit]").last)
    assert "«ikkje-epost» er ikkje ei e-postadresse" in page.content()
    go(page, page.get_by_role("button", name="Tilbake"))
    good = Path(tmp_path) / "good.csv"
    good.write_text(HEADER + good_rows(tag), encoding="utf-8")
    page.set_input_files("#file", str(good))
    go(page, page.locator("main form button[type=submit]").last)
    go(page, page.get_by_role("button", name="Importer og send invitasjonar"))
    assert "Sende 6 invitasjonar" in page.content()
    axe.check(page, "invitations-after-import")
    mine = [m for tos, m in smtp_sink.messages if any(t.endswith("@example.org") for t in tos)]
    assert len(mine) == 6
    link = re.search(r"(http://127\.0\.0\.1:\d+/s/[\w-]+)", mine[0].get_content()).group(1)
    respondent = page.context.browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 800})
    answer_page = respondent.new_page()
    answer_page.goto(link)
    go(answer_page, answer_page.get_by_role("button").first)
    answer_everything(answer_page, axe, "from-email", check_every_page=False)
    assert "Takk" in answer_page.title()
    respondent.close()
    page.goto(live["base"] + "/org/demo/resultat?by=unit")
    assert "skjult" in page.content()  # small groups are hidden on the dashboard
    axe.check(page, "results-suppressed")
