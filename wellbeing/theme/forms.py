from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Regexp, ValidationError

from wellbeing.forms import BaseForm
from wellbeing.theme.palette import HEX, MIN_CONTRAST, contrast

MAX_LOGO_BYTES = 200 * 1024


class ThemeForm(BaseForm):
    colour = StringField(_l("Main colour"), validators=[
        DataRequired(), Regexp(HEX.pattern, message=_l("Give the colour as # and six hexadecimal digits, such as #00587a."))])
    logo = FileField(_l("Logo (PNG, at most 200 kB; not required)"))
    remove_logo = BooleanField(_l("Remove the current logo"))

    def validate_colour(self, field) -> None:
        if HEX.match(field.data or "") and contrast(field.data, "#ffffff") < MIN_CONTRAST:
            raise ValidationError(_l("This colour is too light: white text on it, and it as text on white, must "
                                     "reach a contrast of 4.5 to 1. Choose a darker colour."))

    def validate_logo(self, field) -> None:
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            return
        data = upload.read(MAX_LOGO_BYTES + 1)
        upload.seek(0)
        if len(data) > MAX_LOGO_BYTES or not data.startswith(b"\x89PNG\r\n\x1a\n"):
            raise ValidationError(_l("Choose a PNG file of at most 200 kB."))
