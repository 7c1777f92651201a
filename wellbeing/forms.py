"""The base of every form: the input gate's rules per field, so a new form gets them for free.

- a text field with a control character (NUL, ...) gets an error that says so;
- a text field without a ``Length(max=...)`` of its own (which should match its column) longer than
  ``MAX_TEXT`` gets an error before the database sees the value;
- a choice sent as blanks ("   ") counts as no choice, so ``Optional()`` choices never reach the
  view as a value that is neither empty nor one of the choices.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

from wellbeing.inputs import has_control

#: The longest text any field takes when it declares no limit of its own (the longest column is Text).
MAX_TEXT = 10_000


def _blank_to_empty(value):
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, SelectField):
                kwargs = dict(unbound_field.kwargs)
                kwargs["filters"] = [*kwargs.get("filters", ()), _blank_to_empty]
                unbound_field = UnboundField(unbound_field.field_class, *unbound_field.args, **kwargs)
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if not isinstance(field, StringField) or not isinstance(field.data, str):
                continue
            if has_control(field.data):
                field.errors.append(_l("Remove the control characters (such as NUL) from this text."))
                valid = False
            elif len(field.data) > MAX_TEXT and not any(isinstance(v, Length) for v in field.validators):
                field.errors.append(_l("Keep this to %(max)d characters or fewer.", max=MAX_TEXT))
                valid = False
        return valid
