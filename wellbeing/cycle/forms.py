"""Forms of the cycle pages. Choices that depend on the municipality are filled per request."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from wellbeing.cycle.catalogue import FORUMS, LEVELS, SECTORS, STATUSES, level_label, sector_label
from wellbeing.forms import BaseForm
from wellbeing.offer.forms import Checkboxes


class ChoicesForm(BaseForm):
    keys = Checkboxes(_l("Choose up to three"), choices=[])
    own = StringField(_l("Or add one in your own words"), validators=[Optional(), Length(max=200)])


class NeedForm(BaseForm):
    sector = SelectField(_l("Sector"), choices=[])
    level = SelectField(_l("Prevention level"), choices=[])
    text = StringField(_l("What is still needed"),
                       validators=[DataRequired(message=_l("Say what is still needed.")), Length(max=300)])

    def fill(self) -> NeedForm:
        self.sector.choices = [(s, sector_label(s)) for s in SECTORS]
        self.level.choices = [(v, level_label(v)) for v in LEVELS]
        return self


class TargetForm(BaseForm):
    ambition = StringField(_l("Ambition in words"), validators=[Optional(), Length(max=300)])
    indicator = SelectField(_l("Indicator"), choices=[])
    school_type = SelectField(_l("Schools"), choices=[])
    threshold = IntegerField(_l("Target value (per cent or score, 0–100)"),
                             validators=[InputRequired(message=_l("Give a target value.")),
                                         NumberRange(min=0, max=100, message=_l("Give a value from 0 to 100."))])
    by_year = SelectField(_l("Reached by the school year"), choices=[])


class AgreementForm(BaseForm):
    what = StringField(_l("What will be done"),
                       validators=[DataRequired(message=_l("Say what will be done.")), Length(max=300)])
    who = StringField(_l("Who does it"),
                      validators=[DataRequired(message=_l("Say who does it.")), Length(max=200)])
    partner_id = SelectField(_l("With which partner"), choices=[], validators=[Optional()])
    due_on = DateField(_l("By when"), validators=[Optional()])
    forum = SelectField(_l("Agreed in"), choices=[(k, v) for k, v in FORUMS.items()])
    status = SelectField(_l("Status"), choices=[(k, v) for k, v in STATUSES.items()])
    target_id = SelectField(_l("Serves the target"), choices=[], validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class EvaluationForm(BaseForm):
    school_year = SelectField(_l("School year"), choices=[])
    note = TextAreaField(_l("Evaluation"), validators=[Optional(), Length(max=2000)])


class ConfirmForm(BaseForm):
    """A button that changes something: only the CSRF token."""


class GroupForm(BaseForm):
    name = StringField(_l("Name of the group"),
                       validators=[DataRequired(message=_l("Give the group a name.")), Length(max=120)])
    members = Checkboxes(_l("Municipalities in the group"), choices=[],
                         validators=[InputRequired(message=_l("Choose at least two municipalities."))])
