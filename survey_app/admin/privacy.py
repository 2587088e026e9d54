"""The organisation's privacy documentation, for its data protection officer: what is collected,
legal basis options, retention, who sees what, and a starting point for the DPIA, generated from
the organisation's settings. A page for the administrator, and the same as a PDF to hand over."""
from __future__ import annotations

from pathlib import Path

from flask import Response, current_app, g, render_template
from flask_babel import force_locale, get_locale

from survey_app.access import organisation_page
from survey_app.admin.views import bp
from survey_app.extensions import db
from survey_app.services import privacy_document

STATIC = Path(__file__).resolve().parent.parent / "static"


def _facts() -> privacy_document.PrivacyFacts:
    language = str(get_locale())
    return privacy_document.facts(db.session, g.organisation, current_app.config,
                                  current_app.extensions["questionnaires"], language)


@bp.get("/org/<org_slug>/admin/personvern")
@organisation_page("admin")
def privacy_documentation():
    return render_template("admin/privacy_document.html", f=_facts(), for_pdf=False)


@bp.get("/org/<org_slug>/admin/personvern.pdf")
@organisation_page("admin")
def privacy_documentation_pdf():
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    facts = _facts()
    with force_locale(facts.language):
        html = render_template("admin/privacy_document.html", f=facts, for_pdf=True)
    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(STATIC / "report" / "privacy.css"), font_config=fonts)
    pdf = HTML(string=html, base_url=str(STATIC / "report") + "/").write_pdf(stylesheets=[stylesheet],
                                                                            font_config=fonts)
    filename = f"kvifor-{g.organisation.slug}-personvern-{facts.made_on.isoformat()}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
