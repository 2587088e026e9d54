from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from survey_app.reports.paper import ASSESSMENT_LENGTH


class ReportForm(FlaskForm):
    """Which report: used for the preview (GET) and for generating it (POST)."""

    class Meta:
        csrf = False  # the preview is a GET; the POST that stores a report adds its own token check

    period = SelectField(_l("Quarter"), validators=[DataRequired()])
    language = SelectField(_l("Written standard"), validators=[DataRequired()])
    meeting_date = DateField(_l("Meeting date (optional)"), validators=[Optional()],
                             description=_l("For example 2026-12-10."))
    case_number = StringField(_l("Case number (optional)"), validators=[
        Optional(), Length(max=30), Regexp(r"^[0-9A-Za-z][0-9A-Za-z/._ -]*$",
                                           message=_l("Use digits, letters, / and -, for example 017/26."))],
        description=_l("As in the committee's list of cases, for example 017/26."))
    archive_code = StringField(_l("Archive code (optional)"), validators=[Optional(), Length(max=100)])
    case_officer = StringField(_l("Case officer (optional)"), validators=[Optional(), Length(max=100)])
    journal_id = StringField(_l("Journal post ID (optional)"), validators=[Optional(), Length(max=100)])


class GenerateReportForm(ReportForm):
    class Meta:
        csrf = True

    assessment = TextAreaField(_l("Assessment"), validators=[Optional(), Length(max=ASSESSMENT_LENGTH)],
                               description=_l("A draft written from the figures. Change it as you see fit; a blank "
                                              "line starts a new paragraph. The PDF prints the text as it stands "
                                              "when you make it."), render_kw={"rows": 14})


class RegionForm(FlaskForm):
    slug = StringField(_l("Short name (in addresses)"), validators=[
        DataRequired(_l("Write a short name.")), Length(max=60),
        Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Use lower-case letters a–z, digits and hyphens."))])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Write a name.")), Length(max=200)])
    written_standard = SelectField(_l("Written standard"), choices=[("nn", "Nynorsk"), ("nb", "Bokmål")])
