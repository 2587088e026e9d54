from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError


class RunAnalysisForm(FlaskForm):
    period = SelectField(_l("Quarter"), validators=[DataRequired()])
    question = SelectField(_l("Answers to analyse"), default="main_reason_text", choices=[
        ("main_reason_text", _l("“In your own words, why are you leaving?”")),
        ("stay_text", _l("“What could have made you stay?”"))])


class RenameThemeForm(FlaskForm):
    label = StringField(_l("Name of the theme"), validators=[DataRequired(_l("Write a name.")), Length(max=200)])
    # Labelled by the view with the organisation's other written standard ("Name in bokmål").
    other_label = StringField(_l("Name in the other written standard (optional)"),
                              validators=[Optional(), Length(max=200)])


class MergeThemeForm(FlaskForm):
    other = SelectField(_l("Merge this theme into"), coerce=int)


class MoveAnswerForm(FlaskForm):
    row = HiddenField()
    theme = SelectField(_l("Theme"), coerce=int)


class QuoteForm(FlaskForm):
    row = HiddenField()
    usable = BooleanField(_l("Usable as a quote in reports"))


class ActionForm(FlaskForm):
    title = StringField(_l("What will be done"), validators=[DataRequired(_l("Write what will be done.")),
                                                            Length(max=300)])
    description = TextAreaField(_l("More about the action (optional)"), validators=[Optional(), Length(max=3000)],
                                description=_l("Do not write names of employees or anything else that identifies a person."))
    responsible = StringField(_l("Who is responsible"), validators=[DataRequired(_l("Write who is responsible.")),
                                                                   Length(max=200)],
                              description=_l("A role is best, for example “Head of home care north”."))
    target = SelectField(_l("Cause or theme it responds to"), validate_choice=True)
    started_on = DateField(_l("Started (or will start)"), validators=[DataRequired(_l("Write a date such as 2026-09-01."))])
    due_on = DateField(_l("To be done by (optional)"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[("planned", _l("Planned")), ("started", _l("Under way")),
                                                ("done", _l("Done")), ("stopped", _l("Stopped"))])
    # The same in the organisation's other written standard, for the report in it (labelled by the view).
    other_title = StringField(_l("What will be done, in the other written standard (optional)"),
                              validators=[Optional(), Length(max=300)])
    other_description = TextAreaField(_l("More about the action, in the other written standard (optional)"),
                                      validators=[Optional(), Length(max=3000)])

    def validate_due_on(self, field):
        if field.data and self.started_on.data and field.data < self.started_on.data:
            raise ValidationError(_l("The end date must be after the start date."))
