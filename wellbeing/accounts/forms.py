from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from wellbeing.accounts.security import MIN_PASSWORD_LENGTH
from wellbeing.auth.passwords import weakness
from wellbeing.forms import BaseForm


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class SetPasswordForm(BaseForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200,
                                           message=_l("Use at least %(min)d characters.",
                                                      min=MIN_PASSWORD_LENGTH))])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_password(self, field) -> None:
        problem = weakness(field.data or "", getattr(self.user, "email", None), getattr(self.user, "name", None))
        if problem:
            raise ValidationError(str(problem))


class ResetRequestForm(BaseForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email()])


class ProfileForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    locale = SelectField(_l("Language"), choices=[("nl", "Nederlands"), ("en", "English")])
