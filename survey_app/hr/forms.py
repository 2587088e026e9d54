from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length


class RunAnalysisForm(FlaskForm):
    period = SelectField(_l("Quarter"), validators=[DataRequired()])


class RenameThemeForm(FlaskForm):
    label = StringField(_l("Name of the theme"), validators=[DataRequired(_l("Write a name.")), Length(max=200)])


class MergeThemeForm(FlaskForm):
    other = SelectField(_l("Merge this theme into"), coerce=int)


class MoveAnswerForm(FlaskForm):
    row = HiddenField()
    theme = SelectField(_l("Theme"), coerce=int)


class QuoteForm(FlaskForm):
    row = HiddenField()
    usable = BooleanField(_l("Usable as a quote in reports"))
