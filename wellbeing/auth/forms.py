from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from wellbeing.forms import BaseForm


class CodeForm(BaseForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "spellcheck": "false",
                                  "autocapitalize": "off"})


class RegionSignInForm(BaseForm):
    coordinators_need_second_factor = BooleanField(
        _l("School coordinators must also sign in with a second factor (an authenticator app)"))
    federated_login_required = BooleanField(
        _l("Everyone in the region signs in through their organisation's or school's login, never with a password"))


class EmptyForm(BaseForm):
    """A form that only carries the CSRF token (buttons that change something)."""
