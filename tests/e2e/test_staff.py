"""HR, admin and leader pages in a real browser, each checked with axe at phone and desktop width:
login, overview, results, import with a bad row, invitations, the cause analysis, administration."""
from __future__ import annotations

from pathlib import Path

from survey_app.models._time import today
from survey_app.privacy.periods import released_blocks
from tests.e2e.conftest import go, log_in

BAD_CSV = ("Namn;E-post arbeid;Privat e-post;Mobil;Einingskode;Stillingsprosent;Sluttdato;Alder\n"
           "Kari Nordmann;kari@demo.invalid;kari@example.org;;HO-HTN;80;15.12.2026;41\n"
           "Feil Rad;ikkje-epost;;;FINST-IKKJE;80;15.12.2026;41\n")


def test_login_and_its_error(live, page, axe):
    page.goto(live["base"] + "/logg-inn")
    axe.check(page, "login")
    page.fill("#email", live["hr_email"])
    page.fill("#password", "feil passord her")
    go(page, page.locator("main button[type=submit]"))
    axe.check(page, "login-error")


def test_hr_pages(live, page, axe, tmp_path):
    log_in(page, live)
    axe.check(page, "overview")
    page.goto(live["base"] + "/org/demo/resultat")
    axe.check(page, "results")
    page.goto(live["base"] + "/org/demo/resultat?by=unit&period=" + next(b.label for b in released_blocks(today()) if b.kind == "year"))
    axe.check(page, "results-by-unit")
    page.goto(live["base"] + "/org/demo/resultat/trendar")
    assert page.locator("section.result svg.chart").count() > 5
    axe.check(page, "trends")
    page.goto(live["base"] + "/org/demo/import")
    axe.check(page, "import")
    csv = Path(tmp_path) / "sluttarar.csv"
    csv.write_text(BAD_CSV, encoding="utf-8")
    page.set_input_files("#file", str(csv))
    go(page, page.locator("main form button[type=submit]").last)
    assert "Problem i fila" in page.content()
    axe.check(page, "import-preview-errors")
    page.goto(live["base"] + "/org/demo/invitasjonar")
    axe.check(page, "invitations")
    page.goto(live["base"] + "/org/demo/analyse")
    axe.check(page, "analysis-runs")
    go(page, page.locator("main form button[type=submit]").last)
    axe.check(page, "analysis-run")
    run_url = page.url
    go(page, page.locator("a[href*='/arsak/']").first)
    axe.check(page, "cause")
    page.goto(run_url)
    page.fill("#search-q", "lønn")
    go(page, page.locator("form[role=search] button[type=submit]"))
    assert "/sok?q=" in page.url
    axe.check(page, "search")
    page.goto(run_url)
    go(page, page.locator("a[href*='/tema/']").first)
    axe.check(page, "theme")
    page.goto(live["base"] + "/org/demo/intervju")
    axe.check(page, "interview")


def test_admin_pages(live, page, axe):
    log_in(page, live)
    for path, state in [("/org/demo/admin/brukarar", "users"), ("/org/demo/admin/innstillingar", "settings"),
                        ("/org/demo/einingar", "units"), ("/org/demo/admin/logg", "audit-log"),
                        ("/org/demo/admin/personvern", "privacy-documentation"), ("/konto/passord", "password")]:
        page.goto(live["base"] + path)
        axe.check(page, state)


def test_personal_data_requests(live, page, axe):
    log_in(page, live)
    page.goto(live["base"] + "/org/demo/admin/personvern/innsyn")
    axe.check(page, "subject-search")
    page.fill("#q", "D")
    page.press("#q", "Enter")
    page.wait_for_load_state()
    assert "Skriv minst to teikn" in page.content()
    axe.check(page, "subject-search-error")
    page.fill("#q", "Demo Sluttar")
    page.press("#q", "Enter")
    page.wait_for_load_state()
    axe.check(page, "subject-search-results")
    go(page, page.locator("main ul a").first)
    axe.check(page, "subject-detail")
    go(page, page.locator("#erase ~ form button[type=submit]"))
    assert "Kryss av i boksen" in page.content()
    axe.check(page, "subject-erase-error")


def test_report_preview_make_and_download(live, page, axe):
    log_in(page, live)
    page.goto(live["base"] + "/org/demo/rapportar")
    axe.check(page, "reports")
    go(page, page.locator("main form button[type=submit]"))
    assert "Meldinga vert teke til orientering." in page.content()
    axe.check(page, "report-preview")
    go(page, page.locator("main form button[type=submit]"))
    assert "Last ned PDF-en" in page.content()
    axe.check(page, "report-detail")
    with page.expect_download() as download:
        page.locator("main a.button.primary").click()
    path = download.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF-1.7")
    assert download.value.suggested_filename.startswith("kvifor-demo-")


def test_actions_register(live, page, axe):
    log_in(page, live)
    page.goto(live["base"] + "/org/demo/tiltak")
    axe.check(page, "actions")
    go(page, page.locator("main form button[type=submit]"))
    assert "Skriv kva som skal gjerast." in page.content()
    axe.check(page, "actions-errors")
    page.fill("#title", "Fleire heile stillingar")
    page.fill("#responsible", "Kommunalsjef helse og omsorg")
    page.select_option("#target", "cause:arbeidstid")
    page.fill("#started_on", "2026-04-01")
    go(page, page.locator("main form button[type=submit]"))
    assert "Tiltaket er registrert." in page.content()
    axe.check(page, "actions-registered")
