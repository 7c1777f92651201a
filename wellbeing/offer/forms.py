"""Forms for partners, offer items and the CSV import. Choices are filled per request."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from wellbeing.forms import BaseForm
from wellbeing.offer.labels import KIND_LABELS, LEVEL_LABELS
from wellbeing.offer.models import LEVELS, PartnerKind
from wellbeing.offer.service import SCHOOL_TYPES


class Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PartnerForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Give the partner a name.")), Length(max=200)])
    kind = SelectField(_l("Kind of partner"), choices=[(k.value, KIND_LABELS[k.value]) for k in PartnerKind])
    contact = StringField(_l("How to reach them"), validators=[Optional(), Length(max=300)])


class ItemForm(BaseForm):
    partner_id = SelectField(_l("Partner"), choices=[], validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Give the offer a title.")), Length(max=200)])
    description = TextAreaField(_l("Short description"), validators=[Optional(), Length(max=2000)])
    level = SelectField(_l("Prevention level"), choices=[(v, LEVEL_LABELS[v]) for v in LEVELS])
    pillar = SelectField(_l("Pillar"), choices=[])
    school_types = Checkboxes(_l("School types"), choices=[(t, t.upper()) for t in SCHOOL_TYPES],
                              validators=[DataRequired(message=_l("Choose at least one school type."))])
    age_min = IntegerField(_l("From age"), validators=[InputRequired(), NumberRange(min=0, max=30)])
    age_max = IntegerField(_l("Up to age"), validators=[InputRequired(), NumberRange(min=0, max=30)])
    request_route = StringField(_l("How a school requests it"), validators=[Optional(), Length(max=300)])
    paid_by = StringField(_l("Who pays"), validators=[Optional(), Length(max=120)])
    intervention_id = SelectField(_l("Recognised intervention it delivers"), choices=[], validators=[Optional()])
    municipalities = Checkboxes(_l("Offered in"), choices=[], coerce=int,
                                validators=[DataRequired(message=_l("Choose at least one municipality."))])
    private_note = TextAreaField(_l("Private note (only for the municipality's and GGD administrators)"),
                                 validators=[Optional(), Length(max=2000)])

    def validate_age_max(self, field) -> None:
        if self.age_min.data is not None and field.data is not None and field.data < self.age_min.data:
            from wtforms.validators import ValidationError
            raise ValidationError(_l("The upper age cannot be below the lower age."))


class ImportForm(BaseForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Choose a CSV file."))])

