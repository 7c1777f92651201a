"""The visit note form. The portfolio filters are a plain GET form read in the view."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from wellbeing.forms import BaseForm

MAX_NOTE = 4000


def _not_in_future(form, field) -> None:
    if field.data and field.data > date.today():
        raise ValidationError(_l("The date cannot be in the future."))
    if field.data and field.data.year < 2000:
        raise ValidationError(_l("Give a date from 2000 onwards."))


class VisitNoteForm(BaseForm):
    visited_on = DateField(_l("Date of the visit"), default=date.today, validators=[
        InputRequired(message=_l("Give the date of the visit.")), _not_in_future])
    text = TextAreaField(_l("Visit note"), render_kw={"rows": 6}, validators=[
        DataRequired(message=_l("Write what the visit was about.")),
        Length(max=MAX_NOTE, message=_l("Keep the note to %(max)d characters or fewer."))])
