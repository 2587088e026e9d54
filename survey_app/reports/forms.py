from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp


class ReportForm(FlaskForm):
    """Which report: used for the preview (GET) and for generating it (POST)."""

    class Meta:
        csrf = False  # the preview is a GET; the POST that stores a report adds its own token check

    period = SelectField(_l("Quarter"), validators=[DataRequired()])
    language = SelectField(_l("Written standard"), validators=[DataRequired()])
    meeting_date = DateField(_l("Meeting date (optional)"), validators=[Optional()],
                             description=_l("For example 2026-12-10."))


class GenerateReportForm(ReportForm):
    class Meta:
        csrf = True


class RegionForm(FlaskForm):
    slug = StringField(_l("Short name (in addresses)"), validators=[
        DataRequired(_l("Write a short name.")), Length(max=60),
        Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Use lower-case letters a–z, digits and hyphens."))])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Write a name.")), Length(max=200)])
    written_standard = SelectField(_l("Written standard"), choices=[("nn", "Nynorsk"), ("nb", "Bokmål")])
