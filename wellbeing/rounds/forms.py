from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from wellbeing.forms import BaseForm
from wellbeing.rounds.models import Category, Priority, RoundMode
from wellbeing.rounds.service import MAX_CODES

MODE_LABELS = {RoundMode.INDIVIDUAL: _l("Each team member alone, anonymously, with a personal code"),
               RoundMode.MEETING: _l("Together in a team meeting: one set of answers")}
CATEGORY_LABELS = {Category.TEACHER: _l("Teacher"), Category.SUPPORT: _l("Support staff"),
                   Category.MANAGEMENT: _l("Management"), Category.CARE: _l("Care (e.g. intern begeleider)")}
PRIORITY_LABELS = {Priority.HIGH: _l("High"), Priority.MEDIUM: _l("Medium"), Priority.LOW: _l("Low"),
                   Priority.NONE: _l("None")}


class OpenRoundForm(BaseForm):
    school_year = SelectField(_l("School year"), choices=[])
    mode = RadioField(_l("How does the team answer?"), choices=[(m.value, MODE_LABELS[m]) for m in RoundMode],
                      default=RoundMode.INDIVIDUAL.value)


class CodesForm(BaseForm):
    count = IntegerField(_l("Number of codes"), validators=[DataRequired(), NumberRange(
        min=1, max=MAX_CODES, message=_l("Choose between 1 and %(max)d codes.", max=MAX_CODES))])


class CodeEntryForm(BaseForm):
    code = StringField(_l("Your code"), validators=[DataRequired(), Length(max=20)])


class CategoryForm(BaseForm):
    category = SelectField(_l("Your role in the school (optional)"), validators=[Optional()],
                           choices=[("", _l("I prefer not to say"))] + [(c.value, CATEGORY_LABELS[c]) for c in Category])


class InviteEmailsForm(BaseForm):
    addresses = TextAreaField(_l("E-mail addresses of the team"), validators=[DataRequired()])

    def parsed(self) -> tuple[list[str], list[str]]:
        """(valid addresses, invalid entries) from the text, split on spaces, commas and semicolons."""
        import re

        entries = [e for e in re.split(r"[\s,;]+", self.addresses.data or "") if e]
        valid = [e for e in entries if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", e)]
        return valid, [e for e in entries if e not in valid]


class AgreementForm(BaseForm):
    """What the team agreed on one statement, recorded by the coordinator in the meeting."""

    score = RadioField(_l("Agreed score"), coerce=int, choices=[(v, str(v)) for v in (1, 2, 3, 4)],
                       validators=[InputRequired(_l("Choose the score the team agreed on, from 1 to 4."))])
    priority = SelectField(_l("Priority"), choices=[(p.value, PRIORITY_LABELS[p]) for p in Priority],
                           default=Priority.NONE.value)
    rationale = TextAreaField(_l("Rationale (optional)"), validators=[Length(max=2000)])
