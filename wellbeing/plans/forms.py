"""Forms for the plan window, goals and actions. Choices are filled per request from the school's data."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from wellbeing.forms import BaseForm
from wellbeing.labels import ACTION_STATUS_LABELS, PERIOD_LABELS
from wellbeing.plans.models import MAX_YEARS, ActionStatus, Period


class PlanForm(BaseForm):
    first_year = SelectField(_l("First school year of the plan"), choices=[])
    years = SelectField(_l("Number of school years"), choices=[(str(n), str(n)) for n in range(1, MAX_YEARS + 1)])
    coordinator = StringField(_l("Coordinator (name or role)"), validators=[Optional(), Length(max=200)])
    working_group = TextAreaField(_l("Working group"), validators=[Optional(), Length(max=2000)])


class GoalForm(BaseForm):
    what = TextAreaField(_l("What do you want to achieve?"), validators=[
        DataRequired(message=_l("Describe the goal.")), Length(max=1000)])
    measure = TextAreaField(_l("How will you measure it?"), validators=[Optional(), Length(max=1000)])
    target = StringField(_l("Target"), validators=[Optional(), Length(max=300)])
    target_year = SelectField(_l("Reached by school year"), choices=[], validators=[Optional()])
    element_id = SelectField(_l("Checklist element"), choices=[], validators=[Optional()])
    item_id = SelectField(_l("Priority statement it answers"), choices=[], validators=[Optional()])


class ActionForm(BaseForm):
    title = StringField(_l("Action"), validators=[DataRequired(message=_l("Describe the action.")),
                                                 Length(max=300)])
    pillar = SelectField(_l("Pillar"), choices=[])
    goal_id = SelectField(_l("Goal"), choices=[], validators=[Optional()])
    activity_id = SelectField(_l("Menu card activity"), choices=[], validators=[Optional()])
    intervention_id = SelectField(_l("Recognised intervention"), choices=[], validators=[Optional()])
    owner = StringField(_l("Who carries it out"), validators=[Optional(), Length(max=200)])
    school_year = SelectField(_l("School year"), choices=[])
    period = SelectField(_l("When"), choices=[(p.value, PERIOD_LABELS[p.value]) for p in Period])
    status = SelectField(_l("Status"), choices=[(s.value, ACTION_STATUS_LABELS[s.value]) for s in ActionStatus])
    evaluation = TextAreaField(_l("Evaluation: what did it bring, what next?"),
                               validators=[Optional(), Length(max=3000)])
