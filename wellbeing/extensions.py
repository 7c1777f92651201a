"""Unbound extension instances; bound to an app in ``create_app``. No I/O at import time."""
from flask_babel import Babel
from flask_compress import Compress
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

babel = Babel()
compress = Compress()
csrf = CSRFProtect()
login_manager = LoginManager()
