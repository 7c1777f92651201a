from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from wellbeing.accounts.models import Role
from wellbeing.forms import BaseForm
from wellbeing.labels import ROLE_LABELS, SCHOOL_TYPE_LABELS
from wellbeing.tenancy.models import SchoolType


class RegionForm(BaseForm):
    code = StringField(_l("Region code"), validators=[DataRequired(), Length(max=16),
                                                       Regexp(r"^[A-Za-z0-9-]+$", message=_l("Use letters, digits and dashes only."))])
    name = StringField(_l("Name of the GGD region"), validators=[DataRequired(), Length(max=120)])
    admin_name = StringField(_l("Name of the first administrator"), validators=[DataRequired(), Length(max=120)])
    admin_email = EmailField(_l("E-mail address of the first administrator"), validators=[DataRequired(), Email()])


class MunicipalityForm(BaseForm):
    code = StringField(_l("CBS code"), validators=[DataRequired(), Regexp(r"^GM\d{4}$", message=_l("A CBS code looks like GM0344."))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])


class SchoolForm(BaseForm):
    brin = StringField(_l("BRIN"), validators=[DataRequired(), Regexp(r"^\d{2}[A-Za-z]{2}$", message=_l("A BRIN is two digits and two letters, such as 12AB."))])
    vestiging = StringField(_l("Location number"), validators=[DataRequired(), Regexp(r"^\d{2}$", message=_l("The location number is two digits, such as 00."))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    school_type = SelectField(_l("Type"), choices=[(t.value, SCHOOL_TYPE_LABELS[t]) for t in SchoolType])
    municipality_id = SelectField(_l("Municipality"), coerce=int, choices=[])


INVITABLE_ROLES = [Role.REGION_ADMIN, Role.GSA, Role.MUNICIPALITY_OFFICER, Role.SCHOOL_COORDINATOR]


class InviteForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email()])
    role = SelectField(_l("Role"), choices=[(r.value, ROLE_LABELS[r]) for r in INVITABLE_ROLES])
    municipality_id = SelectField(_l("Municipality (for a policy officer)"), coerce=int, choices=[],
                                  validators=[Optional()])
    school_id = SelectField(_l("School (for a school coordinator)"), coerce=int, choices=[], validators=[Optional()])


class PortfolioForm(BaseForm):
    school_ids = SelectMultipleField(_l("Schools in this portfolio"), coerce=int, choices=[],
                                     option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
